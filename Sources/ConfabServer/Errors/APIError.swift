import ConfabChat
import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird
import NIOCore
import NIOHTTP1

/// Every error the API answers with, and the one place that maps errors to HTTP.
///
/// Bodies follow `chat-rest-api.md`: auth and not-found errors as `{"errors":["…"]}`,
/// validation errors keyed by parameter as `{"errors":{"limit":["…"]}}`, and refusals as
/// ConnectyCube answers them, `{"errors":{"base":["Forbidden. Need user."]}}`.
public struct APIError: Error, Sendable, HTTPResponseError {
    private enum Kind: Sendable {
        case unauthorized(String)
        /// No live session for the token: the one 401 ConnectyCube's SDKs refresh the session on.
        case noSession
        case forbidden(String)
        case validation(ParameterErrors)
        case notFound(String)
        case unsupportedMediaType(String)
        case contentTooLarge(String)
        case badRequest(String)
        case tooManyRequests(retryAfterSeconds: Int)
        case serviceUnavailable(String)
        case uriTooLong(String)
        case requestTimeout(String)
        /// What the request asks for is no longer kept (an expired change-feed cursor).
        case gone(String)
        case internalError
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized(message)) }
    /// A missing, unknown or expired `CB-Token`: `{"errors":{"base":["Required session does not exist"]}}`,
    /// the body the SDKs read (`errors.base[0]`) to start a new session.
    static let noSession = APIError(.noSession)
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden(message)) }
    static func validation(_ errors: ParameterErrors) -> APIError { APIError(.validation(errors)) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound(message)) }
    static func unsupportedMediaType(_ message: String) -> APIError { APIError(.unsupportedMediaType(message)) }
    static func contentTooLarge(_ message: String) -> APIError { APIError(.contentTooLarge(message)) }
    /// Malformed HTTP (a broken chunked body, a bad header): the connection is closed after it.
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest(message)) }
    /// Over a rate limit; answered with `Retry-After`.
    static func tooManyRequests(retryAfterSeconds: Int) -> APIError {
        APIError(.tooManyRequests(retryAfterSeconds: retryAfterSeconds))
    }
    static func serviceUnavailable(_ message: String) -> APIError { APIError(.serviceUnavailable(message)) }
    static func uriTooLong(_ message: String) -> APIError { APIError(.uriTooLong(message)) }
    static func requestTimeout(_ message: String) -> APIError { APIError(.requestTimeout(message)) }
    static func gone(_ message: String) -> APIError { APIError(.gone(message)) }
    static let internalError = APIError(.internalError)

    public var status: HTTPResponse.Status {
        switch kind {
        case .unauthorized, .noSession: .unauthorized
        case .forbidden: .forbidden
        case .validation: .unprocessableContent
        case .notFound: .notFound
        case .unsupportedMediaType: .unsupportedMediaType
        case .contentTooLarge: .contentTooLarge
        case .badRequest: .badRequest
        case .tooManyRequests: .tooManyRequests
        case .serviceUnavailable: .serviceUnavailable
        case .uriTooLong: .uriTooLong
        case .requestTimeout: .requestTimeout
        case .gone: .gone
        case .internalError: .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response.json(body, status: status)
        switch kind {
        case .tooManyRequests(let seconds): response.headers[.retryAfter] = String(seconds)
        case .badRequest: response.headers[.connection] = "close"
        default: break
        }
        return response
    }

    /// The JSON error body, also written by `ConnectionGuard` where no request is being handled.
    var body: [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("errors")
        switch kind {
        case .validation(let errors):
            writer.beginObject()
            for entry in errors.entries {
                writer.key(entry.parameter)
                writer.beginArray()
                for message in entry.messages { writer.string(message) }
                writer.endArray()
            }
            writer.endObject()
        case .forbidden(let message):
            Self.writeBase(message, to: &writer)
        case .noSession:
            Self.writeBase("Required session does not exist", to: &writer)
        case .unauthorized(let message), .notFound(let message), .unsupportedMediaType(let message),
            .contentTooLarge(let message), .badRequest(let message), .serviceUnavailable(let message),
            .uriTooLong(let message), .requestTimeout(let message), .gone(let message):
            writer.beginArray()
            writer.string(message)
            writer.endArray()
        case .tooManyRequests(let seconds):
            writer.beginArray()
            writer.string("Too many requests: retry after \(seconds) s")
            writer.endArray()
        case .internalError:
            writer.beginArray()
            writer.string("Internal server error")
            writer.endArray()
        }
        writer.endObject()
        return writer.bytes
    }

    /// `{"base":["…"]}`, the form ConnectyCube uses for refusals and dead sessions.
    private static func writeBase(_ message: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("base")
        writer.beginArray()
        writer.string(message)
        writer.endArray()
        writer.endObject()
    }

    /// The API's answer for any error thrown while handling a request.
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError: return error
        case let errors as ParameterErrors: return .validation(errors)
        case let error as ChatError:
            switch error.code {
            case .notFound: return .notFound(error.message)
            case .forbidden: return .forbidden(error.message)
            default: return .validation(error.parameterErrors)
            }
        case let error as StoreError where error == .unstorableValue(""):
            return .validation(ParameterErrors(parameter: "base", message: error.detail))
        case let error as StoreError where error == .expiredCursor(""):
            return .gone(error.detail)
        case let error as StoreError where error == .busy(""):
            return .serviceUnavailable(error.detail)
        case let error as HTTPError where error.status == .notFound: return .notFound("Not found")
        case let error as HTTPError where error.status == .contentTooLarge:
            return .contentTooLarge("Request body is too large")
        case is NIOTooManyBytesError: return .contentTooLarge("Request body is too large")
        case let error as RequestInputError:
            switch error.kind {
            case .tooLarge: return .contentTooLarge(error.message)
            case .unsupportedMediaType: return .unsupportedMediaType(error.message)
            }
        case let error as HTTPParserError: return .badRequest("Malformed HTTP request: \(error)")
        default: return nil
        }
    }
}
