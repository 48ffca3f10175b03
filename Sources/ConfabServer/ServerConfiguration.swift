import ConfabCore
import ConfabRequests
import Foundation
import Logging

/// Everything `buildApplication` needs to know; the CLI fills it from flags and environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// Bounds on every request's input (sizes, counts, nesting), checked before work is spent.
    public var inputLimits: InputLimits
    /// Timeouts and the connection cap that keep slow or idle clients from holding the server.
    public var connections: ConnectionLimits
    /// Token buckets per admin key, per session and per client address.
    public var rateLimits: RateLimits
    /// How long SIGTERM waits for requests in flight before cutting them and closing the stores.
    public var shutdownGracePeriod: Duration
    /// The host in generated room JIDs: `{application_id}_{dialog_id}@muc.{chatHost}`.
    public var chatHost: String
    /// How many streaming exports run and wait at once, and how many rows each reads at a time.
    public var exports: ExportLimits
    /// bcrypt's cost for new password hashes: 2^cost rounds. Tests lower it to be quick.
    public var passwordHashCost: UInt8
    /// The time in unix seconds; tests set their own to step over token expiry without sleeping.
    public var clock: @Sendable () -> Int64
    /// How long the change feed keeps the tombstones of deleted rows; a cursor older than the
    /// oldest kept is answered 410.
    public var changeRetention: Duration
    /// Where the server logs: by default the process's `LoggingSystem` under the label `confab`,
    /// at `logLevel`; tests give one that keeps its lines.
    public var logger: Logger?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        logLevel: Logger.Level = .info,
        inputLimits: InputLimits = .standard,
        connections: ConnectionLimits = .standard,
        rateLimits: RateLimits = .standard,
        shutdownGracePeriod: Duration = .seconds(10),
        chatHost: String = "chat.confab.local",
        exports: ExportLimits = .standard,
        passwordHashCost: UInt8 = 10,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        changeRetention: Duration = .seconds(30 * 86_400),
        logger: Logger? = nil
    ) {
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.inputLimits = inputLimits
        self.connections = connections
        self.rateLimits = rateLimits
        self.shutdownGracePeriod = shutdownGracePeriod
        self.chatHost = chatHost
        self.exports = exports
        self.passwordHashCost = passwordHashCost
        self.clock = clock
        self.changeRetention = changeRetention
        self.logger = logger
    }
}

/// How long a client may take and how many may be connected at once.
public struct ConnectionLimits: Sendable, Equatable {
    /// From a connection's first byte of a request (or its opening) to the end of the request head.
    public var headTimeout: Duration
    /// From the end of the head to the end of the body.
    public var bodyTimeout: Duration
    /// How long a kept-alive connection may wait for its next request.
    public var idleTimeout: Duration
    /// Connections served at once; one more is answered 503 and closed at once.
    public var maximumConnections: Int

    public init(
        headTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60), maximumConnections: Int = 4_096
    ) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
    }

    public static let standard = ConnectionLimits()
}

/// The streaming exports (`GET /admin/chat/export`, `…/messages/export`): each holds a read
/// transaction, and so a database connection, for as long as its client reads.
public struct ExportLimits: Sendable, Equatable {
    /// Exports streaming at once, server-wide; the store's pool keeps connections for the rest.
    public var running: Int
    /// Exports waiting for one of those to end; one more is a 429.
    public var waiting: Int
    /// Rows read from the store at a time: the unit of the export's memory and backpressure.
    public var batchRows: Int

    public init(running: Int = 4, waiting: Int = 16, batchRows: Int = 500) {
        self.running = running
        self.waiting = waiting
        self.batchRows = batchRows
    }

    public static let standard = ExportLimits()
}
