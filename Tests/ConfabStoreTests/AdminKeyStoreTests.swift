import ConfabCore
import ConfabTestSupport
import SQLKit
import Testing

@testable import ConfabStore

/// Administration keys with names, scopes and rotation (schema 9), on both stores.
@Suite("Administration keys in the store")
struct AdminKeyStoreTests {
    static let now: Int64 = 1_760_000_000

    @Test(
        "an application's first key is an admin key named default; a read key is created beside it",
        arguments: StoreKind.available)
    func firstKeyAndReadKey(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let credentials = ApplicationCredentials.random()
            let app = try await store.createApplication(name: "A", credentials: credentials, createdAt: Self.now)
            let first = try #require(try await store.adminKey(credentials.adminAPIKey, at: Self.now))
            #expect(first.application == app)
            #expect((first.name, first.scope) == ("default", .admin))

            let readKey = try await store.createAdminKey(
                applicationId: app.id, name: "exports", scope: .read, at: Self.now + 1)
            #expect(readKey != credentials.adminAPIKey && readKey.count >= 43)
            let read = try #require(try await store.adminKey(readKey, at: Self.now + 1))
            #expect((read.application, read.name, read.scope) == (app, "exports", .read))
            #expect(
                try await store.adminKeys(applicationId: app.id, at: Self.now + 1) == [
                    AdminKeyInfo(name: "default", scope: .admin, createdAt: Self.now, lastUsedAt: nil, expiresAt: nil),
                    AdminKeyInfo(
                        name: "exports", scope: .read, createdAt: Self.now + 1, lastUsedAt: nil, expiresAt: nil),
                ])

            await #expect(throws: StoreError.conflict("")) {
                _ = try await store.createAdminKey(applicationId: app.id, name: "exports", scope: .admin, at: Self.now)
            }
            for bad in ["", String(repeating: "k", count: 65), "line\nbreak"] {
                await #expect(throws: StoreError.unstorableValue("")) {
                    _ = try await store.createAdminKey(applicationId: app.id, name: bad, scope: .read, at: Self.now)
                }
            }
            await #expect(throws: StoreError.unknownApplication(0)) {
                _ = try await store.createAdminKey(applicationId: app.id + 1, name: "x", scope: .read, at: Self.now)
            }
            #expect(try await store.adminKey(readKey + "x", at: Self.now) == nil)
            #expect(try await store.adminKeys(applicationId: app.id, at: Self.now).count == 2)
        }
    }

    @Test(
        "a rotated key stays accepted for its grace period and is refused from its end", arguments: StoreKind.available)
    func rotation(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let credentials = ApplicationCredentials.random()
            let app = try await store.createApplication(name: "A", credentials: credentials, createdAt: Self.now)
            let old = credentials.adminAPIKey
            let new = try #require(
                try await store.rotateAdminKey(
                    applicationId: app.id, name: "default", graceSeconds: 600, at: Self.now + 10)
            ).key
            #expect(try await store.adminKey(old, at: Self.now + 609)?.name == "default")
            #expect(try await store.adminKey(old, at: Self.now + 610) == nil)
            #expect(try await store.adminKey(new, at: Self.now + 610)?.scope == .admin)
            #expect(
                try await store.adminKeys(applicationId: app.id, at: Self.now + 10) == [
                    AdminKeyInfo(
                        name: "default", scope: .admin, createdAt: Self.now, lastUsedAt: nil, expiresAt: Self.now + 610),
                    AdminKeyInfo(
                        name: "default", scope: .admin, createdAt: Self.now + 10, lastUsedAt: nil, expiresAt: nil),
                ])
            #expect(try await store.adminKeys(applicationId: app.id, at: Self.now + 610).count == 1)

            // Without grace the old key is refused at once; the scope goes to the new key.
            let readKey = try await store.createAdminKey(applicationId: app.id, name: "r", scope: .read, at: Self.now)
            let readNew = try #require(
                try await store.rotateAdminKey(applicationId: app.id, name: "r", graceSeconds: 0, at: Self.now + 20))
            #expect(readNew.scope == .read)
            #expect(try await store.adminKey(readKey, at: Self.now + 20) == nil)
            #expect(try await store.adminKey(readNew.key, at: Self.now + 20)?.scope == .read)
            #expect(
                try await store.rotateAdminKey(applicationId: app.id, name: "nobody", graceSeconds: 0, at: Self.now)
                    == nil)
        }
    }

    @Test("revoking a name refuses its keys, a rotated-out one too; use is recorded", arguments: StoreKind.available)
    func revocationAndUse(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let credentials = ApplicationCredentials.random()
            let app = try await store.createApplication(name: "A", credentials: credentials, createdAt: Self.now)
            let key = try await store.createAdminKey(applicationId: app.id, name: "ci", scope: .read, at: Self.now)
            let rotated = try #require(
                try await store.rotateAdminKey(applicationId: app.id, name: "ci", graceSeconds: 3_600, at: Self.now)
            ).key
            let grant = try #require(try await store.adminKey(rotated, at: Self.now + 5))
            try await store.recordAdminKeyUse(keyId: grant.keyId, at: Self.now + 5)
            #expect(try await store.adminKey(rotated, at: Self.now + 6)?.lastUsedAt == Self.now + 5)
            #expect(try await store.adminKeys(applicationId: app.id, at: Self.now + 6).last?.lastUsedAt == Self.now + 5)

            #expect(try await store.revokeAdminKey(applicationId: app.id, name: "ci") == 2)
            #expect(try await store.adminKey(key, at: Self.now + 6) == nil)
            #expect(try await store.adminKey(rotated, at: Self.now + 6) == nil)
            #expect(try await store.revokeAdminKey(applicationId: app.id, name: "ci") == 0)
            #expect(try await store.adminKey(credentials.adminAPIKey, at: Self.now + 6)?.application == app)
        }
    }

    @Test(
        "a database from before named keys keeps its key working, as the admin key named default",
        arguments: StoreKind.available)
    func migrationKeepsKeys(kind: StoreKind) async throws {
        try await withTemporaryDatabase(kind) { store, location in
            let apps = [ApplicationCredentials.random(), ApplicationCredentials.random()]
            var created: [ChatApplication] = []
            for (index, credentials) in apps.enumerated() {
                created.append(
                    try await store.createApplication(name: "A\(index)", credentials: credentials, createdAt: Self.now))
            }
            // Back to schema version 8: one key per application, in `applications.admin_key_hash`.
            let sql = try #require(store as? SQLChatStore)
            try await sql.sessions.withSession { session in
                for statement in ["DROP TABLE admin_keys", "DELETE FROM schema_migrations WHERE version = 9"] {
                    try await session.sql.raw(SQLQueryString(statement)).run()
                }
            }
            let reopened = try await location.openStore()
            do {
                for (credentials, app) in zip(apps, created) {
                    let grant = try #require(try await reopened.adminKey(credentials.adminAPIKey, at: Self.now))
                    #expect((grant.application, grant.name, grant.scope) == (app, "default", .admin))
                }
            } catch {
                try? await reopened.close()
                throw error
            }
            try await reopened.close()
        }
    }
}
