import ConfabCore
import ConfabRequests

/// One fuzz input read as a request: its first byte chooses the `Content-Type` (bits 0–2) and
/// the limits (bit 3: `FuzzRequest.tight`, else `.standard`); the bytes up to the first newline
/// are the query string, the rest is the body.
///
/// In the committed corpus the first byte is a digit: `0`–`7` with the standard limits, `8`, `9`,
/// `:`…`?` the same types with tight ones (`2` is `application/json`, `1` a form, `0` no type).
public struct FuzzRequest {
    /// Indexed by the first byte's low three bits.
    public static let contentTypes: [String?] = [
        nil,
        "application/x-www-form-urlencoded",
        "application/json",
        "application/json; charset=utf-8",
        "",
        "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
        "text/plain",
        "APPLICATION/JSON",
    ]

    /// Small bounds, so that short inputs reach every limit's boundary; the server takes any
    /// `InputLimits` from its configuration.
    public static let tight = InputLimits(
        maximumBodyBytes: 4_096, maximumURIBytes: 1_024, maximumParameters: 8, maximumNameBytes: 24,
        maximumValueBytes: 48, maximumDepth: 3, maximumElements: 4)

    /// The query string's bytes as they came.
    public let queryBytes: [UInt8]
    /// The query string as the server gets it: `request.uri.query`, a `String`.
    public let query: String
    public let body: [UInt8]
    public let contentType: String?
    public let limits: InputLimits

    public init(_ start: UnsafeRawPointer, _ count: Int) {
        let bytes = UnsafeRawBufferPointer(start: start, count: count)
        let selector = bytes.first ?? 0
        let rest = bytes.dropFirst()
        let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
        queryBytes = Array(rest[..<(newline ?? rest.endIndex)])
        body = newline.map { Array(rest[($0 + 1)...]) } ?? []
        query = String(decoding: queryBytes, as: UTF8.self)
        contentType = Self.contentTypes[Int(selector & 0x07)]
        limits = selector & 0x08 == 0 ? .standard : Self.tight
    }

    /// Whether the body is read as JSON (`RequestInput`'s rule: the type starts with `application/json`).
    public var bodyIsJSON: Bool {
        contentType?.lowercased().hasPrefix("application/json") ?? false
    }
}

/// A broken invariant: stops the process so that libFuzzer keeps the input.
public func invariant(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #file, line: UInt = #line
) {
    if !condition() { fatalError("invariant failed: \(message())", file: file, line: line) }
}

/// Shape checks of a value a reader accepted.
public enum Shape {
    /// Levels of containers, the outermost at 1 (a scalar is 0): what `maximumDepth` bounds.
    public static func depth(_ value: JSONValue) -> Int {
        switch value {
        case .array(let elements): 1 + (elements.map(depth).max() ?? 0)
        case .object(let object): depth(object)
        default: 0
        }
    }

    public static func depth(_ object: JSONObject) -> Int {
        1 + (object.members.map { depth($0.value) }.max() ?? 0)
    }

    /// The most elements or members of any one container.
    public static func widest(_ value: JSONValue) -> Int {
        switch value {
        case .array(let elements): max(elements.count, elements.map(widest).max() ?? 0)
        case .object(let object): widest(object)
        default: 0
        }
    }

    public static func widest(_ object: JSONObject) -> Int {
        max(object.members.count, object.members.map { widest($0.value) }.max() ?? 0)
    }

    /// The longest string or key, in UTF-8 bytes.
    public static func longestString(_ value: JSONValue) -> Int {
        switch value {
        case .string(let text): text.utf8.count
        case .array(let elements): elements.map(longestString).max() ?? 0
        case .object(let object): longestString(object)
        default: 0
        }
    }

    public static func longestString(_ object: JSONObject) -> Int {
        object.members.map { max($0.key.utf8.count, longestString($0.value)) }.max() ?? 0
    }

    public static func longestKey(_ value: JSONValue) -> Int {
        switch value {
        case .array(let elements): elements.map(longestKey).max() ?? 0
        case .object(let object): longestKey(object)
        default: 0
        }
    }

    public static func longestKey(_ object: JSONObject) -> Int {
        object.members.map { max($0.key.utf8.count, longestKey($0.value)) }.max() ?? 0
    }

    /// Whether some object anywhere names a key twice (as `JSONObject` compares keys).
    public static func hasDuplicateKeys(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let elements): elements.contains(where: hasDuplicateKeys)
        case .object(let object): hasDuplicateKeys(object)
        default: false
        }
    }

    public static func hasDuplicateKeys(_ object: JSONObject) -> Bool {
        Set(object.members.map(\.key)).count != object.members.count
            || object.members.contains { hasDuplicateKeys($0.value) }
    }

    /// Strings at the leaves (what form pairs nest into), counted.
    public static func stringLeaves(_ value: JSONValue) -> Int? {
        switch value {
        case .string: 1
        case .array(let elements): sum(elements.map(stringLeaves))
        case .object(let object): stringLeaves(object)
        default: nil
        }
    }

    public static func stringLeaves(_ object: JSONObject) -> Int? {
        sum(object.members.map { stringLeaves($0.value) })
    }

    private static func sum(_ counts: [Int?]) -> Int? {
        var total = 0
        for count in counts {
            guard let count else { return nil }
            total += count
        }
        return total
    }
}

/// Compact JSON text of a value, as the server writes responses and stored columns.
public func written(_ value: JSONValue) -> [UInt8] {
    var writer = JSONWriter(capacity: 256)
    writer.value(value)
    return writer.bytes
}

/// `application/x-www-form-urlencoded` text of pairs, every byte but the unreserved ones escaped,
/// spaces as `+`: what a client would send for them.
public func formEncoded(_ parameters: [FormParameter]) -> [UInt8] {
    var output = [UInt8]()
    func append(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(byte)
            case UInt8(ascii: " "):
                output.append(UInt8(ascii: "+"))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                output += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
    }
    for (index, parameter) in parameters.enumerated() {
        if index > 0 { output.append(UInt8(ascii: "&")) }
        append(parameter.name)
        output.append(UInt8(ascii: "="))
        append(parameter.value)
    }
    return output
}

/// What a call gave: its value, or the text of its error (to compare two ways of reading).
public func outcome<Value>(_ body: () throws -> Value) -> Result<Value, OutcomeError> {
    do {
        return .success(try body())
    } catch {
        return .failure(OutcomeError(text: String(describing: error)))
    }
}

public struct OutcomeError: Error, Equatable {
    public let text: String
}
