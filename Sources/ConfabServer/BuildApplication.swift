import ConfabCore
import ConfabStore
import Hummingbird
import Logging
import NIOCore

/// Builds the server from its configuration on a store the caller opened (and closes after the
/// server stops). The binary and the tests both call this, so tests run the real thing.
///
/// - Parameter onServerRunning: called once the server listens, with the port it got (the one
///   the system chose when `configuration.port` is 0).
public func buildApplication(
    _ configuration: ServerConfiguration,
    store: any ChatStore,
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) -> Application<RouterResponder<ConfabRequestContext>> {
    var logger = Logger(label: "confab")
    logger.logLevel = configuration.logLevel
    return Application(
        router: buildRouter(store: store, configuration: configuration),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Confab"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// Confab's routes without a server: for serving them inside another Hummingbird application,
/// or behind a responder of one's own (the SDK's tests put one in front that fails on purpose).
public func buildRouter(store: any ChatStore, configuration: ServerConfiguration) -> Router<ConfabRequestContext> {
    let bodySize = configuration.maximumBodySize
    let clock = configuration.clock
    let passwords = PasswordHasher(cost: configuration.passwordHashCost)
    let chat = ChatService(store: store, ids: ObjectIdGenerator(), clock: clock, chatHost: configuration.chatHost)

    let router = Router(context: ConfabRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    HealthController(store: store).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)

    let admin = router.group("admin").add(middleware: AdminKeyMiddleware(store: store))
    AdminChatController(store: store, maximumBodySize: bodySize).addRoutes(to: admin)
    AdminDialogController(chat: chat, maximumBodySize: bodySize).addRoutes(to: admin)

    let authenticated = router.group().add(middleware: SessionTokenMiddleware(store: store, clock: clock))
    SessionController(store: store, passwords: passwords, clock: clock, maximumBodySize: bodySize)
        .addRoutes(to: router, authenticated: authenticated)
    UserController(store: store, passwords: passwords, clock: clock, maximumBodySize: bodySize)
        .addRoutes(to: authenticated, admin: admin)
    DialogController(chat: chat, maximumBodySize: bodySize).addRoutes(to: authenticated)
    MessageController(chat: chat, maximumBodySize: bodySize).addRoutes(to: authenticated)
    return router
}
