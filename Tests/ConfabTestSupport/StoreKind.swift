import ConfabStore
import Foundation

/// The databases the store behaviour suite runs on. Every store test takes one of these as its
/// argument, so the same tests run on each: never a copy per database.
public enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite

    /// The kinds this run can reach.
    public static var available: [StoreKind] { [.sqlite] }

    public var description: String { rawValue }

    /// A new, empty, migrated store that no other test sees.
    public func makeStore() async throws -> TemporaryStore {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("confab-test-\(UUID().uuidString).sqlite").path
            let store = try await SQLiteChatStore.open(path: path)
            return TemporaryStore(store: store, location: .sqlite(path: path)) {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
    }
}

/// A store made for one test, removed by `withTemporaryStore` when the test ends.
public struct TemporaryStore: Sendable {
    public let store: any ChatStore
    public let location: DatabaseLocation
    let remove: @Sendable () -> Void
}

/// Runs `body` with a fresh store of `kind`, closing and removing it afterwards, whether
/// `body` returns or throws.
public func withTemporaryStore<Result>(
    _ kind: StoreKind,
    _ body: (any ChatStore) async throws -> Result
) async throws -> Result {
    let temporary = try await kind.makeStore()
    do {
        let result = try await body(temporary.store)
        try? await temporary.store.close()
        temporary.remove()
        return result
    } catch {
        try? await temporary.store.close()
        temporary.remove()
        throw error
    }
}
