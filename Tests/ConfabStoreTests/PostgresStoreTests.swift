import ConfabCore
import ConfabData
import ConfabStore
import ConfabTestSupport
import Foundation
import Testing

/// What only PostgreSQL has: URLs, and a read replica for the admin lists.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("postgres:// URLs parse like libpq's, and their description hides the password")
    func parsesURLs() throws {
        let url = try PostgresURL(parsing: "postgres://confab:s%40cret@db.example:6543/chat?sslmode=require")
        #expect(
            url
                == PostgresURL(
                    host: "db.example", port: 6543, username: "confab", password: "s@cret", database: "chat",
                    tls: .require))
        #expect(url.description == "postgres://confab@db.example:6543/chat?sslmode=require")
        #expect(!"\(DatabaseLocation.postgres(url))".contains("cret"))
        #expect(
            try DatabaseLocation(parsing: "postgresql://me@localhost/db")
                == .postgres(PostgresURL(host: "localhost", username: "me", database: "db")))
        for (bad, mentions) in [
            ("postgres://localhost/db", "user"), ("postgres://me@/db", "host"), ("postgres://me@localhost", "database"),
            ("postgres://me@localhost/db?sslmode=sometimes", "sslmode"), ("postgres://me@localhost/db?pool=3", "pool"),
        ] {
            #expect {
                try PostgresURL(parsing: bad)
            } throws: { error in
                (error as? StoreError)?.detail.contains(mentions) == true
            }
        }
    }

    @Test(
        "with a read replica, the admin lists read the replica and everything else the primary",
        .enabled(if: StoreKind.available.contains(.postgres), "needs CONFAB_TEST_POSTGRES_URL"))
    func readReplica() async throws {
        try await PostgresTestServer.fromEnvironment().withNewDatabases(2) { urls in
            try await Self.checkReplica(primaryURL: urls[0], replicaURL: urls[1])
        }
    }

    private static func checkReplica(primaryURL: PostgresURL, replicaURL: PostgresURL) async throws {
        // A stand-in for a replica that lags: the same application, other rows.
        let replicaWriter = try await PostgresChatStore.open(url: replicaURL, connections: 2)
        let replicaFixture = try await ChatFixture.make(in: replicaWriter, dialogs: 3, messages: 30, seed: 1)
        try await replicaWriter.close()

        let store = try await PostgresChatStore.open(url: primaryURL, readReplica: replicaURL, connections: 2)
        do {
            let application = try await store.createApplication(
                name: "Primary", credentials: .random(), createdAt: 1_700_000_000)
            #expect(application.id == replicaFixture.application.id)
            var generator = SyntheticChatGenerator(
                plan: SyntheticChatPlan(applicationId: application.id, dialogs: 5, messages: 50, seed: 2))
            let next = generator.nextBatch(maximumMessages: 1_000)
            let batch = try #require(next)
            try await store.insert(dialogs: batch.dialogs, messages: batch.messages, applicationId: application.id)

            // The lists show the replica's rows, not the ones just written to the primary.
            let dialogs = try await store.dialogs(applicationId: application.id, query: ListQuery(limit: 100))
            #expect(dialogs.totalEntries == 3)
            #expect(Set(dialogs.items.map(\.id)) == Set(replicaFixture.dialogs.map(\.id)))
            #expect(try await store.messages(applicationId: application.id, query: ListQuery()).totalEntries == 30)
            // Chat reads and the primary's own data stay on the primary.
            let first = try #require(batch.dialogs.first)
            #expect(try await store.read(applicationId: application.id) { try await $0.dialog(first.id) } == first)
            #expect(try await store.applications().map(\.name) == ["Primary"])
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()

        let primaryOnly = try await PostgresChatStore.open(url: primaryURL, connections: 2)
        #expect(try await primaryOnly.messages(applicationId: 1, query: ListQuery()).totalEntries == 50)
        try await primaryOnly.close()
    }
}
