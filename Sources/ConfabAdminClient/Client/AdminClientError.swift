import ConfabCore

/// Why an admin API call failed, typed so that a program can act on it: the key was refused,
/// the query was refused (with the server's messages per parameter), the server is not a
/// ConnectyCube-compatible Admin API, or it stayed unavailable through every retry.
///
/// A struct around a private enum (as PostgresNIO's `PSQLError`): match on `code`.
public struct AdminClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unauthorized
            case invalidQuery
            case incompatibleServer
            case unavailable
            case unexpectedStatus
            case expiredCursor
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// 401 or 403: the administration key was refused.
        public static let unauthorized = Code(.unauthorized)
        /// 400 or 422, or refused before sending: a filter or parameter is not acceptable.
        public static let invalidQuery = Code(.invalidQuery)
        /// The answer was not an admin list: wrong URL, or not a ConnectyCube-compatible API.
        public static let incompatibleServer = Code(.incompatibleServer)
        /// 429, 502, 503, 504 or a connection failure, through every attempt the policy allows.
        public static let unavailable = Code(.unavailable)
        /// Any other HTTP status.
        public static let unexpectedStatus = Code(.unexpectedStatus)
        /// 410 from the change feed: the cursor is older than the deletions the server keeps;
        /// export again, then follow from `.now`.
        public static let expiredCursor = Code(.expiredCursor)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The HTTP status, when there was an answer.
    public let status: Int?
    /// The server's own messages (`{"errors":…}`), each prefixed with its parameter when the
    /// server named one (`limit: must be …`); or Confab's description of the failure.
    public let messages: [String]

    init(_ code: Code, status: Int? = nil, messages: [String]) {
        self.code = code
        self.status = status
        self.messages = messages
    }

    public var description: String {
        let detail = messages.joined(separator: "; ")
        switch code {
        case .unauthorized: return "the administration key was refused (HTTP \(status ?? 401)): \(detail)"
        case .invalidQuery: return "the server refused the query: \(detail)"
        case .incompatibleServer: return "not a ConnectyCube-compatible Admin API: \(detail)"
        case .unavailable: return "the server stayed unavailable: \(detail)"
        case .expiredCursor: return "the change feed no longer reaches back to the cursor (HTTP 410): \(detail)"
        default: return "unexpected HTTP status \(status ?? 0): \(detail)"
        }
    }

    /// The messages of an error body: `{"errors":["…"]}` or `{"errors":{"limit":["…"]}}`.
    static func serverMessages(in body: [UInt8]) -> [String] {
        guard let errors = (try? JSONParser.parse(body))?.objectValue?["errors"] else {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            return text.isEmpty ? [] : [text]
        }
        switch errors {
        case .array(let messages): return messages.map(text)
        case .object(let byParameter):
            return byParameter.members.flatMap { member in
                let messages = member.value.arrayValue ?? [member.value]
                return messages.map { member.key == "base" ? text($0) : "\(member.key): \(text($0))" }
            }
        default: return [text(errors)]
        }
    }

    private static func text(_ value: JSONValue) -> String {
        value.stringValue ?? value.jsonText
    }
}
