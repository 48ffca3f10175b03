/// A value a filter compares with: an ObjectId, an integer (dates as unix seconds) or text.
/// Text orders by its UTF-8 bytes, as both stores compare it.
public enum ListValue: Sendable, Hashable, Comparable {
    case objectId(ObjectId)
    case integer(Int64)
    case text(String)

    /// `text` as a value of `kind`, or nil when it is not one.
    public init?(parsing text: String, as kind: ListField.Kind) {
        switch kind {
        case .objectId:
            guard let id = ObjectId(hex: text) else { return nil }
            self = .objectId(id)
        case .integer:
            guard let integer = Int64(text) else { return nil }
            self = .integer(integer)
        case .text:
            // PostgreSQL keeps no NUL in text, so no stored value holds one.
            guard !text.utf8.contains(0) else { return nil }
            self = .text(text)
        }
    }

    /// As the API writes it: lower-case hex, decimal, the text itself.
    public var text: String {
        switch self {
        case .objectId(let id): id.hex
        case .integer(let integer): String(integer)
        case .text(let text): text
        }
    }

    public static func < (lhs: ListValue, rhs: ListValue) -> Bool {
        switch (lhs, rhs) {
        case (.objectId(let a), .objectId(let b)): a < b
        case (.integer(let a), .integer(let b)): a < b
        case (.text(let a), .text(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.objectId, _): true
        case (.integer, .text): true
        default: false
        }
    }
}
