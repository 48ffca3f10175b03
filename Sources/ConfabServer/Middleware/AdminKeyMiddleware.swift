import ConfabStore
import HTTPTypes
import Hummingbird

/// Resolves `CB-Administration-API-Key` to its application before any parameter is read, so a
/// request without a valid key is a 401 whatever else is wrong with it. The key is never logged.
struct AdminKeyMiddleware: RouterMiddleware {
    typealias Context = ConfabRequestContext

    static let header = HTTPField.Name("CB-Administration-API-Key")!

    let store: any ChatStore
    let rateLimiting: RateLimiting

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
        guard let application = try await store.application(adminAPIKey: key) else {
            rateLimiting.noteRefusal(context)
            throw APIError.unauthorized("CB-Administration-API-Key is not valid")
        }
        try rateLimiting.admit(adminKey: key)
        var context = context
        context.application = application
        context.logger[metadataKey: "application_id"] = "\(application.id)"
        return try await next(request, context)
    }
}
