import ConfabChat
import ConfabCore
import ConfabStore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the server from its configuration on a store the caller opened (and closes after the
/// server stops). The binary and the tests both call this, so tests run the real thing.
///
/// - Parameters:
///   - metrics: where requests are counted; `buildMetricsApplication` serves them.
///   - onServerRunning: called once the server listens, with the port it got (the one the
///     system chose when `configuration.port` is 0).
public func buildApplication(
    _ configuration: ServerConfiguration,
    store: any ChatStore,
    metrics: ServerMetrics = ServerMetrics(),
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) -> Application<RouterResponder<ConfabRequestContext>> {
    var logger = configuration.logger ?? Logger(label: "confab")
    if configuration.logger == nil { logger.logLevel = configuration.logLevel }
    let connections = OpenConnections()
    return Application(
        router: buildRouter(store: store, configuration: configuration, metrics: metrics),
        server: HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                responder: responder, limits: configuration.connections, input: configuration.inputLimits,
                connections: connections)
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Confab"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// Confab's routes without a server: for serving them inside another Hummingbird application,
/// or behind a responder of one's own (the SDK's tests put one in front that fails on purpose).
public func buildRouter(
    store: any ChatStore, configuration: ServerConfiguration, metrics: ServerMetrics = ServerMetrics()
) -> Router<ConfabRequestContext> {
    let limits = configuration.inputLimits
    let clock = configuration.clock
    let passwords = PasswordHasher(cost: configuration.passwordHashCost)
    let rateLimiting = RateLimiting(configuration.rateLimits)
    let chat = ChatService(store: store, ids: ObjectIdGenerator(), clock: clock, chatHost: configuration.chatHost)

    let router = Router(context: ConfabRequestContext.self)
    router.add(middleware: RequestObservationMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware(metrics: metrics))
    HealthController(store: store).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    AccountSettingsController(chatHost: configuration.chatHost).addRoutes(to: router)

    let admin = router.group("admin").add(
        middleware: AdminKeyMiddleware(store: store, rateLimiting: rateLimiting, clock: clock))
    AdminChatController(store: store, limits: limits).addRoutes(to: admin)
    AdminExportController(store: store, limits: limits, exports: configuration.exports, metrics: metrics)
        .addRoutes(to: admin)
    AdminStatsController(store: store, limits: limits).addRoutes(to: admin)
    AdminChangesController(
        store: store, limits: limits, retention: configuration.changeRetention, clock: configuration.clock
    ).addRoutes(to: admin)
    AdminDialogController(chat: chat, limits: limits).addRoutes(to: admin)

    let authenticated = router.group().add(
        middleware: SessionTokenMiddleware(store: store, rateLimiting: rateLimiting, clock: clock))
    SessionController(store: store, passwords: passwords, clock: clock, limits: limits, rateLimiting: rateLimiting)
        .addRoutes(to: router, authenticated: authenticated)
    UserController(store: store, passwords: passwords, clock: clock, limits: limits, rateLimiting: rateLimiting)
        .addRoutes(to: authenticated, admin: admin)
    DialogController(chat: chat, limits: limits).addRoutes(to: authenticated)
    MessageController(chat: chat, limits: limits).addRoutes(to: authenticated)
    return router
}

/// Runs the server until SIGTERM or SIGINT, then drains: requests in flight get
/// `configuration.shutdownGracePeriod` to finish, slower ones are cut at that deadline, and
/// only then does this return (the caller closes the stores after it).
///
/// - Parameter companions: services that run beside it and stop with it (the metrics server).
public func runUntilTerminated(
    _ application: some ApplicationProtocol & Service, companions: [any Service] = [],
    configuration: ServerConfiguration, logger: Logger
) async throws {
    var group = ServiceGroupConfiguration(
        services: ([application] + companions).map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
    group.maximumCancellationDuration = .seconds(5)
    try await ServiceGroup(configuration: group).run()
}
