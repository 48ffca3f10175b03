import ConfabCore

/// A message to send (`POST /chat/Message`): where it goes, and what it carries.
public struct NewMessage: Sendable {
    public enum Target: Sendable {
        case dialog(ObjectId)
        /// A private message; the dialog with this user is created if there is none.
        case recipient(Int)
    }

    public var target: Target
    public var text: String?
    public var attachments: [JSONObject]
    public var customFields: JSONObject
    /// The sender's `date_sent`; now when nil.
    public var dateSent: Int64?

    public init(
        target: Target, text: String?, attachments: [JSONObject] = [], customFields: JSONObject = JSONObject(),
        dateSent: Int64? = nil
    ) {
        self.target = target
        self.text = text
        self.attachments = attachments
        self.customFields = customFields
        self.dateSent = dateSent
    }
}
