/// A JSON value that a row stores as text, kept as that text until someone reads the value.
///
/// The lists write it through unchanged: parsing a message's attachments and custom fields
/// only to write them out again was a sixth of a page's cost (issue 16). The text is what
/// `JSONWriter` wrote when the row was stored, so writing it through gives the same bytes as
/// parsing it and writing the value.
public struct DeferredJSON: Sendable, Equatable {
    enum Form: Sendable {
        case value(JSONValue)
        case text(String)
    }

    let form: Form

    public init(_ value: JSONValue) {
        form = .value(value)
    }

    /// `text` as a row stores it, when it is one whole array (`opening` `[`) or object (`{`)
    /// whose elements are objects (`elementOpening` `{`) or members (`"`); `nil` otherwise, so
    /// that a column edited behind Confab's back is refused rather than written out broken.
    /// Checked for its nesting only: the value itself is parsed when it is read.
    public init?(storedText text: String, opening: UInt8, elementOpening: UInt8) {
        var text = text
        let whole = text.withUTF8 { bytes -> Bool in
            guard bytes.count >= 2, bytes[0] == opening else { return false }
            if bytes.count == 2 { return bytes[1] == opening + 2 }  // `[]` or `{}`
            guard bytes[1] == elementOpening else { return false }
            var nesting = JSONNesting()
            for index in bytes.indices where nesting.read(bytes[index]) { return index == bytes.count - 1 }
            return false
        }
        guard whole else { return nil }
        form = .text(text)
    }

    /// The value, parsed from the stored text when there is one (`null` if it does not parse).
    public var value: JSONValue {
        switch form {
        case .value(let value): value
        case .text(let text): (try? JSONParser.parse(text)) ?? .null
        }
    }

    /// The compact JSON text: the stored text as it is, else the value written.
    public var jsonText: String {
        switch form {
        case .value(let value): value.jsonText
        case .text(let text): text
        }
    }

    public static func == (lhs: DeferredJSON, rhs: DeferredJSON) -> Bool {
        lhs.value == rhs.value
    }
}

/// Which bytes of JSON text lie inside strings, and how deeply containers nest, read one byte at
/// a time: how the splitter cuts values, and how stored text is checked to be one whole value.
struct JSONNesting {
    private(set) var depth = 0
    private var isInString = false
    private var isEscaped = false

    /// Reads `byte`; true when it closes a container at the top level.
    mutating func read(_ byte: UInt8) -> Bool {
        if isInString {
            if isEscaped {
                isEscaped = false
            } else if byte == UInt8(ascii: "\\") {
                isEscaped = true
            } else if byte == UInt8(ascii: "\"") {
                isInString = false
            }
            return false
        }
        switch byte {
        case UInt8(ascii: "\""): isInString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            return depth == 0
        default: break
        }
        return false
    }
}
