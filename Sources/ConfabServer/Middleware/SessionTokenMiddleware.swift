import ConfabCore
import ConfabStore
import Foundation
import HTTPTypes
import Hummingbird

/// Resolves `CB-Token` to its live session, extends it by `SessionPolicy.lifetime` (sliding
/// expiry), and answers with the new expiry in `CB-Token-ExpirationDate`. The token is never logged.
struct SessionTokenMiddleware: RouterMiddleware {
    typealias Context = ConfabRequestContext

    static let tokenHeader = HTTPField.Name("CB-Token")!
    static let expirationHeader = HTTPField.Name("CB-Token-ExpirationDate")!

    let store: any ChatStore
    let rateLimiting: RateLimiting
    let clock: @Sendable () -> Int64

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try rateLimiting.checkAddress(context)
        guard let token = request.headers[Self.tokenHeader], !token.isEmpty else {
            rateLimiting.noteRefusal(context)
            throw APIError.noSession
        }
        guard let session = try await store.touchSession(token: token, now: clock()) else {
            rateLimiting.noteRefusal(context)
            throw APIError.noSession
        }
        try rateLimiting.admit(sessionToken: token)
        var context = context
        context.session = session
        context.logger[metadataKey: "application_id"] = "\(session.applicationId)"
        if let userId = session.userId { context.logger[metadataKey: "user_id"] = "\(userId)" }
        var response = try await next(request, context)
        response.headers[Self.expirationHeader] = Self.expirationDate(session.expiresAt)
        return response
    }

    /// `2022-02-17 13:01:40 UTC`, the form ConnectyCube's SDKs parse (`yyyy-MM-dd HH:mm:ss z`).
    static func expirationDate(_ seconds: Int64) -> String {
        UTCTimestamp.iso8601(seconds).replacingOccurrences(of: "T", with: " ").replacingOccurrences(
            of: "Z", with: " UTC")
    }
}
