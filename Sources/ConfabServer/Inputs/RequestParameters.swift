import ConfabCore
import ConfabRequests
import Hummingbird
import NIOCore

/// Reads a request's parameters with `RequestInput`, after collecting its body within the
/// body limit (which `ConnectionGuard` has already checked against a declared length).
enum RequestParameters {
    static func collect(from request: Request, limits: InputLimits) async throws -> [FormParameter] {
        try RequestInput.pairs(
            query: (request.uri.query ?? "").utf8, body: try await body(of: request, limits: limits),
            contentType: request.headers[.contentType], limits: limits)
    }

    static func object(from request: Request, limits: InputLimits) async throws -> JSONObject {
        try RequestInput.object(
            query: (request.uri.query ?? "").utf8, body: try await body(of: request, limits: limits),
            contentType: request.headers[.contentType], limits: limits)
    }

    private static func body(of request: Request, limits: InputLimits) async throws -> [UInt8] {
        do {
            return Array(try await request.body.collect(upTo: limits.maximumBodyBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw RequestInputError.tooLarge("A request body may be at most \(limits.maximumBodyBytes) bytes")
        }
    }
}
