import ConfabStore
import Hummingbird
import Logging

/// Turns every error into the API's error body. Unexpected errors become a 500 that says
/// nothing of the cause to the client, which is logged instead. Both those and a busy store's
/// 503 are counted as database errors: the store is what raises an error `APIError.from` does
/// not know.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if let apiError = APIError.from(error) {
                if let error = error as? StoreError, error == .busy("") { metrics.recordDatabaseError(kind: "busy") }
                return try apiError.response(from: request, context: context)
            }
            if let httpError = error as? HTTPResponseError {
                return try httpError.response(from: request, context: context)
            }
            metrics.recordDatabaseError(kind: "failed")
            context.logger.error(
                "Request failed",
                metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"]
            )
            return try APIError.internalError.response(from: request, context: context)
        }
    }
}
