import ConfabCore
import ConfabStore
import Hummingbird
import NIOCore

/// Every error the API answers with, and the one place that maps errors to HTTP.
///
/// Bodies follow `chat-rest-api.md`: auth and not-found errors as `{"errors":["…"]}`,
/// validation errors keyed by parameter as `{"errors":{"limit":["…"]}}`, and refusals as
/// ConnectyCube answers them, `{"errors":{"base":["Forbidden. Need user."]}}`.
public struct APIError: Error, Sendable, HTTPResponseError {
    private enum Kind: Sendable {
        case unauthorized(String)
        case forbidden(String)
        case validation(ParameterErrors)
        case notFound(String)
        case unsupportedMediaType(String)
        case contentTooLarge(String)
        case internalError
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized(message)) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden(message)) }
    static func validation(_ errors: ParameterErrors) -> APIError { APIError(.validation(errors)) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound(message)) }
    static func unsupportedMediaType(_ message: String) -> APIError { APIError(.unsupportedMediaType(message)) }
    static func contentTooLarge(_ message: String) -> APIError { APIError(.contentTooLarge(message)) }
    static let internalError = APIError(.internalError)

    public var status: HTTPResponse.Status {
        switch kind {
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .validation: .unprocessableContent
        case .notFound: .notFound
        case .unsupportedMediaType: .unsupportedMediaType
        case .contentTooLarge: .contentTooLarge
        case .internalError: .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
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
            writer.beginObject()
            writer.key("base")
            writer.beginArray()
            writer.string(message)
            writer.endArray()
            writer.endObject()
        case .unauthorized(let message), .notFound(let message), .unsupportedMediaType(let message),
            .contentTooLarge(let message):
            writer.beginArray()
            writer.string(message)
            writer.endArray()
        case .internalError:
            writer.beginArray()
            writer.string("Internal server error")
            writer.endArray()
        }
        writer.endObject()
        return Response.json(writer.bytes, status: status)
    }

    /// The API's answer for any error thrown while handling a request.
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError: return error
        case let errors as ParameterErrors: return .validation(errors)
        case let error as StoreError where error == .unstorableValue(""):
            return .validation(ParameterErrors(parameter: "base", message: error.detail))
        case let error as HTTPError where error.status == .notFound: return .notFound("Not found")
        case let error as HTTPError where error.status == .contentTooLarge:
            return .contentTooLarge("Request body is too large")
        // What `request.body.collect(upTo:)` throws past the limit; Hummingbird's own answer to
        // it is a 413 without a body.
        case is NIOTooManyBytesError:
            return .contentTooLarge("Request body is too large")
        default: return nil
        }
    }
}
