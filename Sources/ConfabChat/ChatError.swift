import ConfabCore

/// Why a chat operation refused, in the domain's own terms. The server maps it to HTTP in one
/// place (`APIError.from`); realtime delivery will map it to stanza errors. Like PostgresNIO's
/// `PSQLError`, a struct around a private enum, so that new kinds can be added without breaking
/// callers, who branch on `code`.
public struct ChatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case notFound, forbidden, invalidParameters
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// No such dialog or message, or one the caller may not see (the two look the same).
        public static let notFound = Code(.notFound)
        /// The caller may see it but not do this to it.
        public static let forbidden = Code(.forbidden)
        /// Parameters that break the chat's rules; `parameterErrors` names each.
        public static let invalidParameters = Code(.invalidParameters)

        public var description: String { base.rawValue }
    }

    private enum Kind: Sendable, Equatable {
        case notFound(String)
        case forbidden(String)
        case invalidParameters(ParameterErrors)
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    static func notFound(_ message: String) -> ChatError { ChatError(.notFound(message)) }
    static func forbidden(_ message: String) -> ChatError { ChatError(.forbidden(message)) }
    static func invalid(_ errors: ParameterErrors) -> ChatError { ChatError(.invalidParameters(errors)) }
    static func invalid(_ parameter: String, _ message: String) -> ChatError {
        invalid(ParameterErrors(parameter: parameter, message: message))
    }

    public var code: Code {
        switch kind {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .invalidParameters: .invalidParameters
        }
    }

    /// The sentence for the client: what was not found or is forbidden, or every parameter error.
    public var message: String {
        switch kind {
        case .notFound(let message), .forbidden(let message): message
        case .invalidParameters(let errors): errors.description
        }
    }

    /// The parameters at fault, keyed as the API answers them; empty unless `code` is
    /// `.invalidParameters`.
    public var parameterErrors: ParameterErrors {
        if case .invalidParameters(let errors) = kind { errors } else { ParameterErrors() }
    }

    public var description: String { "\(code): \(message)" }
}
