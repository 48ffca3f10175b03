import ConfabCore

/// Reads typed values out of a request's parameters (a JSON body, or form pairs nested by
/// `NestedParameters`), accepting what ConnectyCube's SDKs send for each type, and collects
/// one message per bad parameter so that a request learns everything wrong with it at once.
public struct ParameterReader: Sendable {
    public let object: JSONObject
    /// Prefix for error names of nested readers: `user[` … `]`.
    private let prefix: String?
    public private(set) var errors = ParameterErrors()
    /// What the endpoint does with keys it does not read; nested readers inherit it.
    public let unknownParameters: UnknownParameters

    public init(_ object: JSONObject, unknownParameters: UnknownParameters, prefix: String? = nil) {
        self.object = object
        self.unknownParameters = unknownParameters
        self.prefix = prefix
    }

    /// The name a client sent: `login` inside `user` is `user[login]`.
    public func name(_ key: String) -> String {
        prefix.map { "\($0)[\(key)]" } ?? key
    }

    public mutating func fail(_ key: String, _ message: String) {
        errors.add(name(key), message)
    }

    /// Throws the collected errors, if any.
    public func check() throws(ParameterErrors) {
        guard errors.isEmpty else { throw errors }
    }

    public func contains(_ key: String) -> Bool { object[key] != nil }

    /// An integer: a JSON integer or a string of decimal digits.
    public mutating func integer(_ key: String, in range: ClosedRange<Int64>? = nil) -> Int64? {
        guard let value = object[key] else { return nil }
        guard let integer = Self.integer(value) else {
            fail(key, "must be an integer")
            return nil
        }
        if let range, !range.contains(integer) {
            fail(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return integer
    }

    /// A user id: an integer from 1 up.
    public mutating func userId(_ key: String) -> Int? {
        integer(key, in: 1...Int64(Int32.max) * 1_000).map { Int($0) }
    }

    /// Text of at most `maximumBytes` UTF-8 bytes, without NUL (which no database keeps).
    /// Numbers are accepted as their decimal text, as form encoding cannot tell them apart.
    public mutating func string(_ key: String, maximumBytes: Int, allowEmpty: Bool = true) -> String? {
        guard let value = object[key] else { return nil }
        let text: String
        switch value {
        case .string(let string): text = string
        case .integer(let integer): text = String(integer)
        default:
            fail(key, "must be a string")
            return nil
        }
        if text.utf8.count > maximumBytes {
            fail(key, "must be at most \(maximumBytes) bytes of UTF-8 text")
            return nil
        }
        if text.utf8.contains(0) {
            fail(key, "must not contain NUL characters")
            return nil
        }
        if !allowEmpty, text.isEmpty {
            fail(key, "must not be empty")
            return nil
        }
        return text
    }

    /// A flag: `1`/`0`, `true`/`false`, as JSON or as text.
    public mutating func flag(_ key: String) -> Bool? {
        guard let value = object[key] else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .integer(1), .string("1"), .string("true"): return true
        case .integer(0), .string("0"), .string("false"): return false
        default:
            fail(key, "must be 1 or 0")
            return nil
        }
    }

    /// An ObjectId as 24 hexadecimal characters.
    public mutating func objectId(_ key: String) -> ObjectId? {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue, let id = ObjectId(hex: text) else {
            fail(key, Self.objectIdMessage)
            return nil
        }
        return id
    }

    /// User ids as a JSON array, a form array, or comma-separated text (`1,2,3`).
    public mutating func userIds(_ key: String, maximumCount: Int = 1_000) -> [Int]? {
        guard let value = object[key] else { return nil }
        let elements: [JSONValue]
        switch value {
        case .array(let array): elements = array
        case .string(let text): elements = Self.commaSeparated(text).map { .string($0) }
        case .integer: elements = [value]
        default:
            fail(key, "must be a list of user ids")
            return nil
        }
        var ids = [Int]()
        for element in elements {
            guard let id = Self.integer(element), id >= 1, id <= Int64(Int32.max) * 1_000 else {
                fail(key, "must be a list of user ids (integers from 1 up)")
                return nil
            }
            if !ids.contains(Int(id)) { ids.append(Int(id)) }
        }
        if ids.count > maximumCount {
            fail(key, "must list at most \(maximumCount) users")
            return nil
        }
        return ids
    }

    /// Words as a JSON array, a form array, or comma-separated text (`vip, accountant`): each
    /// 1 to `maximumBytes` bytes without commas, at most `maximumCount`, each kept once.
    public mutating func words(_ key: String, maximumCount: Int, maximumBytes: Int) -> [String]? {
        guard let value = object[key] else { return nil }
        let words: [String]
        switch value {
        case .array(let array):
            words = array.compactMap(\.stringValue).map(\.trimmingSpaces)
            guard words.count == array.count else {
                fail(key, "must be a list of words")
                return nil
            }
        case .string(let text): words = Self.commaSeparated(text)
        default:
            fail(key, "must be a list of words")
            return nil
        }
        var kept = [String]()
        for word in words where !kept.contains(word) {
            guard (1...maximumBytes).contains(word.utf8.count), !word.contains(","), !word.utf8.contains(0) else {
                fail(key, "must be words of 1 to \(maximumBytes) bytes, without commas")
                return nil
            }
            kept.append(word)
        }
        if kept.count > maximumCount {
            fail(key, "must list at most \(maximumCount)")
            return nil
        }
        return kept
    }

    /// ObjectIds as a JSON array, a form array, or comma-separated text.
    public mutating func objectIds(_ key: String, maximumCount: Int = 1_000) -> [ObjectId]? {
        guard let value = object[key] else { return nil }
        let texts: [String]
        switch value {
        case .array(let array):
            guard let strings = Optional(array.compactMap(\.stringValue)), strings.count == array.count else {
                fail(key, Self.objectIdListMessage)
                return nil
            }
            texts = strings
        case .string(let text): texts = Self.commaSeparated(text)
        default:
            fail(key, Self.objectIdListMessage)
            return nil
        }
        var ids = [ObjectId]()
        for text in texts {
            guard let id = ObjectId(hex: text) else {
                fail(key, Self.objectIdListMessage)
                return nil
            }
            if !ids.contains(id) { ids.append(id) }
        }
        if ids.count > maximumCount {
            fail(key, "must list at most \(maximumCount) ids")
            return nil
        }
        return ids
    }

    /// A nested object, read with its own reader whose errors name `key[inner]`.
    public mutating func object(_ key: String) -> ParameterReader? {
        guard let value = object[key] else { return nil }
        guard case .object(let inner) = value else {
            fail(key, "must be an object")
            return nil
        }
        return ParameterReader(inner, unknownParameters: unknownParameters, prefix: name(key))
    }

    /// Takes on the errors a nested reader collected.
    public mutating func merge(_ nested: ParameterReader) {
        for entry in nested.errors.entries {
            for message in entry.messages { errors.add(entry.parameter, message) }
        }
    }

    public static let objectIdMessage = "must be an ObjectId: 24 hexadecimal characters"
    static let objectIdListMessage = "must be a list of ObjectIds (24 hexadecimal characters each)"

    static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let integer): return integer
        case .string(let text): return Int64(text.trimmingSpaces)
        default: return nil
        }
    }

    /// `a, b,,c` → `["a", "b", "c"]`: spaces around each dropped, empty ones skipped.
    public static func commaSeparated(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}
