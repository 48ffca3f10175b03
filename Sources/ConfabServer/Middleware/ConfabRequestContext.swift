import ConfabCore
import Hummingbird

/// Per-request state: the application an administration key was resolved to, or the session a
/// `CB-Token` was.
public struct ConfabRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AdminKeyMiddleware` before any admin route runs.
    public var application: ChatApplication?
    /// Set by `SessionTokenMiddleware` before any chat route runs.
    public var session: ChatSession?
    /// The peer's IP address, what the per-address rate limit counts by ("unknown" without one).
    public let clientAddress: String

    public init(source: Source) {
        coreContext = .init(source: source)
        application = nil
        session = nil
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The session of the request's token; routes behind `SessionTokenMiddleware` always have one.
    func requireSession() throws -> ChatSession {
        guard let session else { throw APIError.noSession }
        return session
    }

    /// The signed-in user: application-only sessions may read, but changes need a user.
    func requireUser() throws -> (applicationId: Int, userId: Int) {
        let session = try requireSession()
        guard let userId = session.userId else { throw APIError.forbidden("Forbidden. Need user.") }
        return (session.applicationId, userId)
    }

    /// The authenticated application; routes behind `AdminKeyMiddleware` always have one.
    func requireApplication() throws -> ChatApplication {
        guard let application else { throw APIError.unauthorized("CB-Administration-API-Key header is required") }
        return application
    }
}
