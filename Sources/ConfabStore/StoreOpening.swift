import Logging

extension DatabaseLocation {
    /// Opens the store this location names, migrated and ready.
    ///
    /// - Parameters:
    ///   - readReplica: a PostgreSQL read replica for the admin lists; only with a PostgreSQL location.
    ///   - connections: the pool size; `nil` for the store's default (4 for SQLite, 10 for PostgreSQL).
    /// - Throws: `StoreError.invalidDatabaseURL` for a replica that is not PostgreSQL or comes
    ///   without a PostgreSQL primary.
    public func openStore(
        readReplica: DatabaseLocation? = nil,
        connections: Int? = nil,
        logger: Logger = Logger(label: "confab.store")
    ) async throws -> any ChatStore {
        switch (self, readReplica) {
        case (.sqlite(let path), nil):
            return try await SQLiteChatStore.open(path: path, connections: connections ?? 4, logger: logger)
        case (.sqlite, .some):
            throw StoreError.invalidDatabaseURL("a read replica needs a PostgreSQL primary, not SQLite")
        case (.postgres(let url), nil):
            return try await PostgresChatStore.open(url: url, connections: connections ?? 10, logger: logger)
        case (.postgres(let url), .postgres(let replica)):
            return try await PostgresChatStore.open(
                url: url, readReplica: replica, connections: connections ?? 10, logger: logger)
        case (.postgres, .sqlite):
            throw StoreError.invalidDatabaseURL("the read replica must be a postgres:// URL")
        }
    }
}
