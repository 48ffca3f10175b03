import ArgumentParser
import ConfabCore
import ConfabData
import ConfabServer
import ConfabStore
import Foundation
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Confab HTTP server."
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOption
    @Option(
        help: ArgumentHelp(
            "A PostgreSQL read replica (postgres://…) for the admin lists; writes and everything else use --database (default: $CONFAB_READ_DATABASE_URL).",
            valueName: "url"))
    var readDatabase: String?
    @Flag(help: "Serve demo data: without --database, from a fresh confab-demo.sqlite each time.")
    var demo = false
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(help: "text (for people) or json (one object a line, for log collectors), on standard error.")
    var logFormat = "text"
    @Option(
        help:
            "Serve Prometheus metrics at GET /metrics on this port (0: any free port); off when not given. Keep it to your scraper's network."
    )
    var metricsPort: Int?
    @Option(help: "Address the metrics port listens on.") var metricsHost = "127.0.0.1"
    @Option(help: "Seconds a client has to send a request's head.") var headTimeout = 10
    @Option(help: "Seconds a client has to send a request's body, once its head is in.") var bodyTimeout = 30
    @Option(help: "Seconds a kept-alive connection may wait for its next request.") var idleTimeout = 60
    @Option(help: "Connections served at once (default: 4096, or half the process's file limit if lower).")
    var maxConnections: Int?
    @Option(help: "Seconds SIGTERM waits for requests in flight before cutting them.") var shutdownGrace = 10
    @Option(help: "Requests per second per admin key (burst: twice as many); 0 turns the limit off.")
    var rateLimitAdmin = 1_000.0
    @Option(help: "Requests per second per session token (burst: twice as many); 0 turns the limit off.")
    var rateLimitSession = 100.0
    @Option(
        help:
            "Requests per second per client address to POST /session, /login, /users and with refused keys or tokens (burst: four times as many); 0 turns the limit off."
    )
    var rateLimitAddress = 50.0
    @Option(
        help: "The chat host: the domain of room JIDs, and the chat_endpoint of GET /account_settings.")
    var chatHost = "chat.confab.local"
    @Option(
        help:
            "Days the change feed (GET /admin/chat/changes) keeps the tombstones of deleted rows; a cursor older than that is answered 410."
    )
    var changeRetentionDays = 30

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be from 0 to 65535")
        }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        for (name, value) in [
            ("--head-timeout", headTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout),
            ("--shutdown-grace", shutdownGrace),
        ] where !(1...86_400).contains(value) {
            throw ValidationError("\(name) must be from 1 to 86400 seconds")
        }
        guard (1...36_500).contains(changeRetentionDays) else {
            throw ValidationError("--change-retention-days must be from 1 to 36500")
        }
        guard HostName.isPlain(chatHost) else {
            throw ValidationError("--chat-host must be a host name (letters, digits, - and .)")
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        for (name, value) in [
            ("--rate-limit-admin", rateLimitAdmin), ("--rate-limit-session", rateLimitSession),
            ("--rate-limit-address", rateLimitAddress),
        ] where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(name) must be a number of requests per second, 0 or more")
        }
    }

    /// The configuration the options ask for.
    func serverConfiguration(logLevel level: Logger.Level) -> ServerConfiguration {
        func limit(_ perSecond: Double, burst: Double) -> RateLimit? {
            perSecond > 0 ? RateLimit(perSecond: perSecond, burst: max(1, perSecond * burst)) : nil
        }
        var fileLimit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &fileLimit)
        let defaultConnections = min(4_096, max(16, Int(clamping: fileLimit.rlim_cur) / 2))
        return ServerConfiguration(
            host: host, port: port, logLevel: level,
            connections: ConnectionLimits(
                headTimeout: .seconds(headTimeout), bodyTimeout: .seconds(bodyTimeout),
                idleTimeout: .seconds(idleTimeout), maximumConnections: maxConnections ?? defaultConnections),
            rateLimits: RateLimits(
                perAdminKey: limit(rateLimitAdmin, burst: 2), perSession: limit(rateLimitSession, burst: 2),
                perAddress: limit(rateLimitAddress, burst: 4)),
            shutdownGracePeriod: .seconds(shutdownGrace), chatHost: chatHost,
            changeRetention: .seconds(Int64(changeRetentionDays) * 86_400))
    }

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var location = try database.location()
        if demo && !database.isGiven {
            location = .sqlite(path: "confab-demo.sqlite")
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: "confab-demo.sqlite\(suffix)")
            }
        }
        let replicaURL = readDatabase ?? ProcessInfo.processInfo.environment["CONFAB_READ_DATABASE_URL"]
        let replica = try replicaURL.map { try DatabaseOption.parse($0, option: "--read-database") }
        let configuration = serverConfiguration(logLevel: level)
        let store = try await database.openStore(at: location, readReplica: replica)
        var demoApplication: (ChatApplication, ApplicationCredentials)?
        if demo {
            demoApplication = try await store.createDemoApplicationIfEmpty()
            if demoApplication == nil {
                print("\(location) holds data already, so no demo data was added. Serving it as it is.")
            }
        }
        let host = host
        let dataLine = "Data: \(location)" + (replica.map { " (admin lists from the replica \($0))" } ?? "")
        let metrics = ServerMetrics()
        let application = buildApplication(configuration, store: store, metrics: metrics) {
            [demoApplication] port in
            if let (application, credentials) = demoApplication {
                print(DemoBanner(application: application, credentials: credentials, host: host, port: port).text)
            }
            print(dataLine)
            print("Listening on http://\(host):\(port)")
            fflush(nil)  // shown at once, also when the output is piped
        }
        var companions: [any Service] = []
        if let metricsPort {
            let metricsHost = metricsHost
            companions.append(
                buildMetricsApplication(host: metricsHost, port: metricsPort, metrics: metrics, store: store) { port in
                    print("Metrics on http://\(metricsHost):\(port)/metrics")
                    fflush(nil)
                })
        }
        var logger = Logger(label: "confab")
        logger.logLevel = level
        do {
            try await runUntilTerminated(
                application, companions: companions, configuration: configuration, logger: logger)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}
