import Hummingbird
import Logging

/// Turns every error into the API's error body. Unexpected errors become a 500 that says
/// nothing of the cause to the client, which is logged instead.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if let apiError = APIError.from(error) {
                return try apiError.response(from: request, context: context)
            }
            if let httpError = error as? HTTPResponseError {
                return try httpError.response(from: request, context: context)
            }
            context.logger.error(
                "Request failed",
                metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"]
            )
            return try APIError.internalError.response(from: request, context: context)
        }
    }
}
