@testable import ConfabCore

/// Splits `name=value&…` literally (no percent decoding), so that list-parser tests state the
/// parameters exactly as the parser receives them.
func formParameters(_ text: String) -> [FormParameter] {
    text.split(separator: "&", omittingEmptySubsequences: true).map { piece in
        if let separator = piece.firstIndex(of: "=") {
            FormParameter(name: String(piece[..<separator]), value: String(piece[piece.index(after: separator)...]))
        } else {
            FormParameter(name: String(piece), value: "")
        }
    }
}

/// An id from 24 hex digits known to be valid.
func objectId(_ hex: String) -> ObjectId {
    guard let id = ObjectId(hex: hex) else { fatalError("test id \(hex) is not an ObjectId") }
    return id
}

/// The keys of a JSON object, in order.
func keys(of object: JSONObject) -> [String] {
    object.members.map(\.key)
}
