import ConfabCore
import ConfabStore
import ConfabTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("CB-Administration-API-Key")
struct AdminKeyTests {
    static func prepare(_ store: any ChatStore) async throws -> Fixtures {
        Fixtures(
            main: try await ChatFixture.make(in: store, name: "first", dialogs: 30, messages: 200, seed: 5),
            other: try await ChatFixture.make(in: store, name: "second", dialogs: 12, messages: 50, seed: 6))
    }

    @Test("a missing or wrong key is a 401 with an errors array and no data", arguments: StoreKind.available)
    func rejectsMissingOrWrongKey(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let wrongKeys: [String?] = [
                nil, "", "nope", fixture.credentials.adminAPIKey + "0", fixture.credentials.authSecret,
            ]
            for key in wrongKeys {
                let api = AdminAPITestClient(client: client, key: key)
                for path in ["/admin/chat/list", "/admin/chat/messages/list.json"] {
                    let response = try await api.get(path)
                    #expect(response.status == .unauthorized, "\(String(describing: key)) \(path)")
                    let errors = try #require(response.errors?.arrayValue)
                    #expect(errors.count == 1)
                    let body = String(buffer: response.body)
                    #expect(!body.contains("items"))
                    #expect(!body.contains(fixture.dialogs[0].id.hex))
                }
            }
        }
    }

    @Test("the key is checked before the parameters", arguments: StoreKind.available)
    func keyBeforeParameters(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, _ in
            let api = AdminAPITestClient(client: client, key: "wrong")
            let response = try await api.get("/admin/chat/list?limit=abc&bogus=1")
            #expect(response.status == .unauthorized)
        }
    }

    @Test("each application's key sees only its own dialogs and messages", arguments: StoreKind.available)
    func applicationsAreIsolated(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let first = try fixtures.requireMain()
            let second = try #require(fixtures.other)
            let secondAPI = AdminAPITestClient(client: client, key: second.credentials.adminAPIKey)
            let dialogs = try await secondAPI.page("/admin/chat/list")
            #expect(dialogs.totalEntries == 12)
            #expect(Set(dialogs.ids) == Set(second.dialogs.map(\.id.hex)))
            let messages = try await secondAPI.page("/admin/chat/messages/list")
            #expect(messages.totalEntries == 50)
            #expect(Set(messages.ids) == Set(second.messages.map(\.id.hex)))
            // Asking for the first application's dialog by id finds nothing.
            let foreign = try await secondAPI.page(
                "/admin/chat/messages/list?chat_dialog_id=\(first.dialogs[0].id.hex)")
            #expect(foreign.totalEntries == 0)
            let firstAPI = AdminAPITestClient(client: client, key: first.credentials.adminAPIKey)
            #expect(try await firstAPI.page("/admin/chat/list").totalEntries == 30)
        }
    }
}

@Suite("Scoped administration keys")
struct ScopedAdminKeyTests {
    @Test("a read key reads; on every admin write it is a 403 naming the scope needed", arguments: StoreKind.available)
    func readScope(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let readKey = try await api.store.createAdminKey(
                applicationId: api.application.id, name: "exports", scope: .read, at: api.clock.now)
            for path in [
                "/admin/chat/list", "/admin/chat/messages/list", "/admin/chat/export", "/admin/chat/changes",
                "/admin/stats/messages/sent-per-day",
            ] {
                let read = try await api.send(.get, path, adminKey: readKey)
                #expect(read.status == .ok, "\(path): \(read.text)")
            }
            let created = try await api.send(
                .post, "/admin/chat", admin: true, json: #"{"type":1,"name":"Crew","user_id":\#(alice.id)}"#)
            #expect(created.status == .created, "\(created.text)")
            let dialogId = try #require(created.object?.string("_id"))
            let writes: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/admin/chat", #"{"type":1,"name":"Other","user_id":\#(alice.id)}"#),
                (.put, "/admin/chat/\(dialogId)", #"{"name":"Renamed"}"#),
                (.delete, "/admin/user/\(alice.id)", nil),
            ]
            for (method, path, json) in writes {
                let refused = try await api.send(method, path, adminKey: readKey, json: json)
                #expect(refused.status == .forbidden, "\(method) \(path): \(refused.text)")
                #expect(refused.text.contains("scope admin"), "\(refused.text)")
                #expect(refused.text.contains("exports"))
            }
            // Nothing changed: one dialog, still named Crew, and alice still signs in.
            let dialogs = try await api.adminDialogs()
            #expect(dialogs.count == 1)
            #expect(dialogs[dialogId]?.string("name") == "Crew")
            #expect(try await api.send(.get, "/users/\(alice.id)", token: alice.token).status == .ok)
            // The admin key does the same writes.
            let renamed = try await api.send(.put, "/admin/chat/\(dialogId)", admin: true, json: #"{"name":"Renamed"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
        }
    }

    @Test(
        "a rotated key works through its grace and is a 401 after; a revoked key at once; use is recorded",
        arguments: StoreKind.available)
    func rotationAndRevocation(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let old = api.credentials.adminAPIKey
            let rotated = try #require(
                try await api.store.rotateAdminKey(
                    applicationId: api.application.id, name: "default", graceSeconds: 3_600, at: api.clock.now))
            #expect(rotated.scope == .admin)
            for key in [old, rotated.key] {
                #expect(try await api.send(.get, "/admin/chat/list", adminKey: key).status == .ok)
            }
            api.clock.advance(by: 3_599)
            #expect(try await api.send(.get, "/admin/chat/list", adminKey: old).status == .ok)
            api.clock.advance(by: 1)
            let refused = try await api.send(.get, "/admin/chat/list", adminKey: old)
            #expect(refused.status == .unauthorized)
            #expect(try await api.send(.get, "/admin/chat/list", adminKey: rotated.key).status == .ok)

            let keys = try await api.store.adminKeys(applicationId: api.application.id, at: api.clock.now)
            #expect(keys.map(\.name) == ["default"])
            // Used at its first request; the request an hour later is recorded again.
            #expect(keys.first?.lastUsedAt == api.clock.now)

            let ci = try await api.store.createAdminKey(
                applicationId: api.application.id, name: "ci", scope: .admin, at: api.clock.now)
            #expect(try await api.send(.get, "/admin/chat/list", adminKey: ci).status == .ok)
            #expect(try await api.store.revokeAdminKey(applicationId: api.application.id, name: "ci") == 1)
            #expect(try await api.send(.get, "/admin/chat/list", adminKey: ci).status == .unauthorized)
        }
    }
}
