import Logging
import NIOCore
import NIOSSL
import PostgresKit
import PostgresNIO

/// PostgresNIO's `PostgresClient`, a pool of up to `capacity` connections, as `SQLSessions`:
/// each closure keeps one leased connection for its whole length.
final class PostgresConnectionPool: SQLSessions {
    private let client: PostgresClient
    /// The client's `run()`, which owns its connections; cancelling it closes them.
    private let running: Task<Void, Never>

    private init(client: PostgresClient, running: Task<Void, Never>) {
        self.client = client
        self.running = running
    }

    /// Creates the pool and returns once its `run()` has begun, so that the first lease does
    /// not come before it (PostgresNIO warns of that in the log).
    static func start(url: PostgresURL, capacity: Int, logger: Logger) async throws -> PostgresConnectionPool {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: try tls(url.tls))
        configuration.options.maximumConnections = max(1, capacity)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let (started, signal) = AsyncStream<Void>.makeStream()
        let running = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        return PostgresConnectionPool(client: client, running: running)
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await body(PostgresSingleConnection.session(on: connection))
        }
    }

    func close() async throws {
        running.cancel()
        await running.value
    }

    private static func tls(_ mode: PostgresURL.TLSMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}
