import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives each request its id and, once its answer is written, logs it once and counts it.
///
/// The id is the proxy's `X-Request-Id` when that is a plain token (letters, digits, `-_.:`, up
/// to 128), else a new one; it is in every log line of the request and echoed in the answer.
/// The line names the route's pattern, the path without its query, the method, status and
/// duration: never a header, a query or a body, which is where keys, tokens and passwords are.
struct RequestObservationMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIdHeader: HTTPField.Name { HTTPField.Name("X-Request-Id")! }
    static var maximumRequestIdLength: Int { 128 }

    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = Self.acceptedRequestId(request.headers[Self.requestIdHeader]) ?? Self.newRequestId()
        var identified = context
        identified.logger[metadataKey: "request_id"] = "\(requestId)"
        let context = identified
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ErrorMiddleware answers every error; one that gets past it still gets its line.
            finish(request, context: context, status: 500, started: started)
            throw error
        }
        response.headers[Self.requestIdHeader] = requestId
        let status = response.status.code
        let body = response.body
        // Once the body is written (or its writing failed): an export's time is its stream's.
        response.body = ResponseBody(contentLength: body.contentLength) { [self] writer in
            do {
                try await body.write(writer)
            } catch {
                finish(request, context: context, status: status, started: started)
                throw error
            }
            finish(request, context: context, status: status, started: started)
        }
        return response
    }

    private func finish(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Hummingbird names no route, or `NotFound`, for a path no route matches.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.recordRequest(route: route, method: request.method.rawValue, status: status, seconds: seconds)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "path": "\(request.uri.path)",
                "status": "\(status)", "duration_ms": "\(String(format: "%.3f", seconds * 1_000))",
            ])
    }

    static func acceptedRequestId(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= maximumRequestIdLength else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: ":")
        }
        return allowed ? value : nil
    }

    static func newRequestId() -> String {
        let high = UInt64.random(in: .min ... .max)
        let low = UInt64.random(in: .min ... .max)
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
