/// An admin list item (a dialog or message object of an export) that cannot be read: which
/// field, and what it should have been.
public struct AdminItemError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field) \(reason)" }
}
