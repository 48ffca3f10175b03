import ConfabStore
import Foundation
import Logging
import PostgresKit
import PostgresNIO

/// The PostgreSQL server of a test run, named by `CONFAB_TEST_POSTGRES_URL`: each test gets a
/// database of its own on it, created empty and dropped afterwards.
public struct PostgresTestServer: Sendable {
    public static let environmentKey = "CONFAB_TEST_POSTGRES_URL"

    /// A database on the server that the URL's user may connect to, to create and drop others.
    public let url: PostgresURL

    /// - Throws: when the variable is missing or not a PostgreSQL URL, so a broken setting fails
    ///   the run instead of skipping PostgreSQL.
    public static func fromEnvironment() throws -> PostgresTestServer {
        guard let text = ProcessInfo.processInfo.environment[environmentKey] else {
            throw StoreError.invalidDatabaseURL("\(environmentKey) is not set")
        }
        return PostgresTestServer(url: try PostgresURL(parsing: text))
    }

    /// Creates a new, empty database and returns its URL.
    public func createDatabase() async throws -> PostgresURL {
        let name = "confab_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await run(SQLQueryString("CREATE DATABASE \(ident: name)"))
        return url.with(database: name)
    }

    /// Runs `body` with `count` new, empty databases, dropped afterwards whether `body` returns
    /// or throws.
    public func withNewDatabases<Result>(
        _ count: Int,
        _ body: ([PostgresURL]) async throws -> Result
    ) async throws -> Result {
        var urls: [PostgresURL] = []
        do {
            for _ in 0..<count { urls.append(try await createDatabase()) }
            let result = try await body(urls)
            for url in urls { try? await dropDatabase(url.database) }
            return result
        } catch {
            for url in urls { try? await dropDatabase(url.database) }
            throw error
        }
    }

    public func dropDatabase(_ name: String) async throws {
        try await run(SQLQueryString("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)"))
    }

    /// Runs one statement on a connection of its own to the URL's database.
    public func run(_ statement: SQLQueryString) async throws {
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: .disable)
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: 1, logger: Logger(label: "confab.test.postgres"))
        do {
            try await connection.sql().raw(statement).run()
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
