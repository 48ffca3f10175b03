import ConfabCore

/// Every bound on what a client sends, in one place (listed in the README). Each is checked
/// while the input is read, before work is spent on what it would build, so the cost of a
/// request is linear in its size and nothing recurses deeper than `maximumDepth`.
public struct InputLimits: Sendable, Equatable {
    /// A request body, in bytes; a larger declared `Content-Length` is refused before it is read.
    public var maximumBodyBytes: Int
    /// The request target (path and query string), in bytes.
    public var maximumURIBytes: Int
    /// Name/value pairs of one request: query string and body together, or members of a JSON body
    /// counted as the pairs they stand for.
    public var maximumParameters: Int
    /// One parameter name (or JSON key), in bytes after percent-decoding.
    public var maximumNameBytes: Int
    /// One parameter value (or JSON string), in bytes after decoding. The API's own limits
    /// (message text 64 KiB, …) are tighter; this one bounds work before they are checked.
    public var maximumValueBytes: Int
    /// Levels of nesting: brackets in a form name (`user[login]` is 2), containers in JSON
    /// (`{"user":{"login":…}}` is 2). The API needs 4 (`attachments[0][data][k]`).
    public var maximumDepth: Int
    /// Elements of one array (`occupants_ids[]`, a JSON array) or members of one object.
    public var maximumElements: Int

    public init(
        maximumBodyBytes: Int = 1 << 20,
        maximumURIBytes: Int = 16_384,
        maximumParameters: Int = 1_000,
        maximumNameBytes: Int = 256,
        maximumValueBytes: Int = 131_072,
        maximumDepth: Int = 10,
        maximumElements: Int = 1_000
    ) {
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumURIBytes = maximumURIBytes
        self.maximumParameters = maximumParameters
        self.maximumNameBytes = maximumNameBytes
        self.maximumValueBytes = maximumValueBytes
        self.maximumDepth = maximumDepth
        self.maximumElements = maximumElements
    }

    public static let standard = InputLimits()

    /// The JSON reader's bounds for a request body. Stored JSON is read back with
    /// `JSONParser.Limits.stored`, which is deeper, so an accepted value can always be listed.
    public var json: JSONParser.Limits {
        JSONParser.Limits(
            maximumDepth: maximumDepth, maximumElements: maximumElements, maximumStringBytes: maximumValueBytes,
            maximumKeyBytes: maximumNameBytes, allowsDuplicateKeys: false)
    }
}

/// A request refused as a whole before it is read further: too large (413) or in a media type
/// Confab does not read (415). Bad parameters are `ParameterErrors` (422) instead.
public struct RequestInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case tooLarge
        case unsupportedMediaType
    }

    public let kind: Kind
    public let message: String

    public static func tooLarge(_ message: String) -> RequestInputError { .init(kind: .tooLarge, message: message) }
    public static func unsupportedMediaType(_ message: String) -> RequestInputError {
        .init(kind: .unsupportedMediaType, message: message)
    }

    public var description: String { message }
}
