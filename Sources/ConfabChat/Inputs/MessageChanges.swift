import ConfabCore

/// Receipts and an edit (`PUT /chat/Message/{ids}`).
public struct MessageChanges: Sendable {
    public var read: Bool
    public var delivered: Bool
    /// New text: an edit, by the sender only.
    public var text: String?

    public init(read: Bool = false, delivered: Bool = false, text: String? = nil) {
        self.read = read
        self.delivered = delivered
        self.text = text
    }
}

/// Which messages a `MessageChanges` applies to.
public enum MessageSelection: Sendable {
    case ids([ObjectId])
    /// Every message of the dialog (receipts only).
    case dialog(ObjectId)
}
