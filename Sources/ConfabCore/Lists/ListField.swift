/// A field the chat lists filter or sort by, named as in the API. Which list takes which, with
/// which operators, is its `ListGrammar`'s.
public enum ListField: String, Sendable, CaseIterable {
    case id = "_id"
    case createdAt = "created_at"
    case updatedAt = "updated_at"
    // Dialogs.
    case type
    case name
    case lastMessageDateSent = "last_message_date_sent"
    // Messages.
    case chatDialogId = "chat_dialog_id"
    case message
    case dateSent = "date_sent"
    case senderId = "sender_id"
    case recipientId = "recipient_id"
    case attachmentsType = "attachments.type"

    /// What a value of the field is written as.
    public enum Kind: Sendable {
        /// 24 hexadecimal characters.
        case objectId
        /// A decimal integer; dates are unix seconds.
        case integer
        case text
    }

    public var kind: Kind {
        switch self {
        case .id, .chatDialogId: .objectId
        case .createdAt, .updatedAt, .type, .lastMessageDateSent, .dateSent, .senderId, .recipientId: .integer
        case .name, .message, .attachmentsType: .text
        }
    }

    /// Whether a row can lack the field: a dialog's name and last message, a message's text. Such a
    /// row matches `ne` and `nin` and nothing else; `attachments.type` holds any number of values.
    public var mayBeAbsent: Bool {
        switch self {
        case .name, .lastMessageDateSent, .message, .attachmentsType: true
        default: false
        }
    }

    /// Whether it is a date, compared as unix seconds.
    public var isDate: Bool {
        switch self {
        case .createdAt, .updatedAt, .lastMessageDateSent, .dateSent: true
        default: false
        }
    }
}
