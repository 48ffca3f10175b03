import ArgumentParser
import ConfabStore
import Foundation

/// `--database` and `--connections`, shared by every command; the database falls back to
/// `CONFAB_DATABASE_URL`, then to `confab.sqlite` in the working directory.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE (default: $CONFAB_DATABASE_URL, else sqlite:confab.sqlite)",
            valueName: "url")
    )
    var database: String?

    @Option(
        name: .long,
        help:
            "Database connections in the pool (default: $CONFAB_DATABASE_CONNECTIONS, else 4 for SQLite, 10 for PostgreSQL)."
    )
    var connections: Int?

    var isGiven: Bool { database != nil || environment("CONFAB_DATABASE_URL") != nil }

    func validate() throws {
        if let count = try connectionCount(), !(1...1_000).contains(count) {
            throw ValidationError("--connections must be 1 to 1000")
        }
    }

    func location() throws -> DatabaseLocation {
        guard let text = database ?? environment("CONFAB_DATABASE_URL") else { return .defaultLocation }
        return try Self.parse(text, option: "--database")
    }

    /// Opens the store at `location` (the option's own by default), with the read replica when
    /// one is given. A database that cannot be reached is reported with the database's own words.
    func openStore(at location: DatabaseLocation? = nil, readReplica: DatabaseLocation? = nil) async throws
        -> any ChatStore
    {
        let location = try location ?? self.location()
        do {
            return try await location.openStore(readReplica: readReplica, connections: try connectionCount())
        } catch let error as StoreError {
            throw ValidationError(error.detail)
        } catch {
            // PostgresNIO keeps server details out of `description`; the reflection has them (never a password).
            throw DatabaseUnavailable(location: location, reason: String(reflecting: error))
        }
    }

    /// Runs `body` on the opened store and closes it; a store's refusal is reported in its words.
    func withStore<T>(_ body: (any ChatStore) async throws -> T) async throws -> T {
        let store = try await openStore()
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch let error as StoreError {
            try? await store.close()
            throw ValidationError(error.detail)
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// A database URL, or a validation error naming the option it came from.
    static func parse(_ text: String, option: String) throws -> DatabaseLocation {
        do {
            return try DatabaseLocation(parsing: text)
        } catch let error as StoreError {
            throw ValidationError("\(option): \(error.detail)")
        }
    }

    private func connectionCount() throws -> Int? {
        if let connections { return connections }
        guard let text = environment("CONFAB_DATABASE_CONNECTIONS") else { return nil }
        guard let count = Int(text) else { throw ValidationError("CONFAB_DATABASE_CONNECTIONS must be a number") }
        return count
    }

    private func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name]
    }
}
