import ConfabCore
import ConfabStore
import HTTPTypes
import Hummingbird
import Logging

/// Resolves `CB-Administration-API-Key` to its application and scope before any parameter is
/// read, so a request without a valid key is a 401 whatever else is wrong with it, and a `read`
/// key on a write a 403 naming the scope it needs. The key is never logged.
struct AdminKeyMiddleware: RouterMiddleware {
    typealias Context = ConfabRequestContext

    static let header = HTTPField.Name("CB-Administration-API-Key")!
    /// How stale a key's `last_used_at` may get: recording every use would make each read a write.
    static let useRecordingInterval: Int64 = 60

    let store: any ChatStore
    let rateLimiting: RateLimiting
    let clock: @Sendable () -> Int64

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try rateLimiting.checkAddress(context)
        guard let key = request.headers[Self.header], !key.isEmpty else {
            rateLimiting.noteRefusal(context)
            throw APIError.unauthorized("CB-Administration-API-Key header is required")
        }
        let now = clock()
        guard let grant = try await store.adminKey(key, at: now) else {
            rateLimiting.noteRefusal(context)
            throw APIError.unauthorized("CB-Administration-API-Key is not valid")
        }
        try rateLimiting.admit(adminKey: key)
        let needed = Self.scopeNeeded(by: request.method)
        guard grant.scope.allows(needed) else {
            throw APIError.forbidden(
                "This request needs a CB-Administration-API-Key with scope \(needed.rawValue); "
                    + "the key named \(grant.name) has scope \(grant.scope.rawValue)")
        }
        var context = context
        context.application = grant.application
        context.logger[metadataKey: "application_id"] = "\(grant.application.id)"
        context.logger[metadataKey: "admin_key"] = "\(grant.name)"
        await recordUse(of: grant, at: now, logger: context.logger)
        return try await next(request, context)
    }

    /// Every admin read is a `GET` and every admin write is not, so the method decides; a route
    /// added later with any other method needs `admin` until said otherwise.
    static func scopeNeeded(by method: HTTPRequest.Method) -> AdminKeyScope {
        method == .get || method == .head ? .read : .admin
    }

    /// Records the use at most once a minute a key; a failure to record does not fail the request.
    private func recordUse(of grant: AdminKeyGrant, at now: Int64, logger: Logger) async {
        if let last = grant.lastUsedAt, now - last < Self.useRecordingInterval { return }
        do {
            try await store.recordAdminKeyUse(keyId: grant.keyId, at: now)
        } catch {
            logger.warning("could not record the administration key's use", metadata: ["error": "\(error)"])
        }
    }
}
