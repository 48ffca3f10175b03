import ConfabStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the server from its configuration: opens the store (migrating it) and closes it when
/// the server shuts down. The binary and the tests both call this, so tests run the real thing.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "confab")
    logger.logLevel = configuration.logLevel
    let store = try await configuration.database.openStore(logger: logger)
    var application = buildApplication(configuration, store: store, logger: logger)
    application.addServices(StoreCloser(store: store))
    return application
}

/// Builds the server on a store the caller opened and will close.
public func buildApplication(
    _ configuration: ServerConfiguration,
    store: any ChatStore,
    logger: Logger? = nil
) -> Application<RouterResponder<ConfabRequestContext>> {
    let logger =
        logger
        ?? {
            var logger = Logger(label: "confab")
            logger.logLevel = configuration.logLevel
            return logger
        }()
    return Application(
        router: buildRouter(store: store, maximumBodySize: configuration.maximumBodySize),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Confab"),
        logger: logger
    )
}

func buildRouter(store: any ChatStore, maximumBodySize: Int) -> Router<ConfabRequestContext> {
    let router = Router(context: ConfabRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    HealthController(store: store).addRoutes(to: router)
    let admin = router.group("admin").add(middleware: AdminKeyMiddleware(store: store))
    AdminChatController(store: store, maximumBodySize: maximumBodySize).addRoutes(to: admin)
    return router
}

/// Closes the store after the server has stopped taking requests.
struct StoreCloser: Service {
    let store: any ChatStore

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
    }
}
