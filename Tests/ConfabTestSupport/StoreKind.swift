import ConfabStore
import Foundation

/// The databases the store behaviour suite runs on. Every store test takes one of these as its
/// argument, so the same tests run on each: never a copy per database.
public enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The kinds this run can reach: SQLite always, PostgreSQL when `CONFAB_TEST_POSTGRES_URL`
    /// names a server (`scripts/with-postgres.sh` starts one and sets it).
    public static var available: [StoreKind] {
        ProcessInfo.processInfo.environment[PostgresTestServer.environmentKey] == nil
            ? [.sqlite] : [.sqlite, .postgres]
    }

    public var description: String { rawValue }

    /// A new, empty, migrated store that no other test sees: a new SQLite file, or a new
    /// PostgreSQL database on the test server.
    public func makeStore() async throws -> TemporaryStore {
        StoreTestTally.record(self)
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("confab-test-\(UUID().uuidString).sqlite").path
            let store = try await SQLiteChatStore.open(path: path)
            return TemporaryStore(store: store, location: .sqlite(path: path)) {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        case .postgres:
            let server = try PostgresTestServer.fromEnvironment()
            let url = try await server.createDatabase()
            do {
                let store = try await PostgresChatStore.open(url: url, connections: 4)
                return TemporaryStore(store: store, location: .postgres(url)) {
                    try? await server.dropDatabase(url.database)
                }
            } catch {
                try? await server.dropDatabase(url.database)
                throw error
            }
        }
    }
}

/// A store made for one test, removed by `withTemporaryStore` when the test ends.
public struct TemporaryStore: Sendable {
    public let store: any ChatStore
    public let location: DatabaseLocation
    let remove: @Sendable () async -> Void
}

/// Runs `body` with a fresh store of `kind`, closing and removing it afterwards, whether
/// `body` returns or throws.
public func withTemporaryStore<Result>(
    _ kind: StoreKind,
    _ body: (any ChatStore) async throws -> Result
) async throws -> Result {
    try await withTemporaryDatabase(kind) { store, _ in try await body(store) }
}

/// `withTemporaryStore`, also handing `body` where the store's data lives, so that a test can
/// open it again.
public func withTemporaryDatabase<Result>(
    _ kind: StoreKind,
    _ body: (any ChatStore, DatabaseLocation) async throws -> Result
) async throws -> Result {
    let temporary = try await kind.makeStore()
    do {
        let result = try await body(temporary.store, temporary.location)
        try? await temporary.store.close()
        await temporary.remove()
        return result
    } catch {
        try? await temporary.store.close()
        await temporary.remove()
        throw error
    }
}
