import ConfabCore
import Hummingbird

/// Per-request state: the application an administration key was resolved to.
public struct ConfabRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AdminKeyMiddleware` before any admin route runs.
    public var application: ChatApplication?

    public init(source: Source) {
        coreContext = .init(source: source)
        application = nil
    }

    /// The authenticated application; routes behind `AdminKeyMiddleware` always have one.
    func requireApplication() throws -> ChatApplication {
        guard let application else { throw APIError.unauthorized("CB-Administration-API-Key header is required") }
        return application
    }
}
