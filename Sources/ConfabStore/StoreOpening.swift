import Logging

extension DatabaseLocation {
    /// Opens the store this location names, migrated and ready.
    public func openStore(logger: Logger = Logger(label: "confab.store")) async throws -> any ChatStore {
        switch self {
        case .sqlite(let path): try await SQLiteChatStore.open(path: path, logger: logger)
        }
    }
}
