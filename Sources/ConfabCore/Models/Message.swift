/// A chat message, with every field the admin list shows.
public struct Message: Sendable, Equatable {
    public var id: ObjectId
    public var chatDialogId: ObjectId
    public var text: String?
    /// Unix seconds.
    public var dateSent: Int64
    public var senderId: Int
    /// The opponent in a private dialog, 0 otherwise.
    public var recipientId: Int
    public var readIds: [Int]
    public var deliveredIds: [Int]
    /// Each attachment is an object (`type`, `id`, `url`, …), kept as sent.
    public var attachments: [JSONObject] {
        get { attachmentsJSON.value.arrayValue?.compactMap(\.objectValue) ?? [] }
        set { attachmentsJSON = DeferredJSON(.array(newValue.map(JSONValue.object))) }
    }
    /// Keys that are not system fields, shown at the top level of the message.
    public var customFields: JSONObject {
        get { customFieldsJSON.value.objectValue ?? JSONObject() }
        set { customFieldsJSON = DeferredJSON(.object(newValue)) }
    }
    /// `attachments` as JSON: an array of objects, as stored while nobody has changed it.
    public var attachmentsJSON: DeferredJSON
    /// `customFields` as JSON: one object, as stored while nobody has changed it.
    public var customFieldsJSON: DeferredJSON
    public var reactions: [Reaction]
    public var viewsCount: Int
    /// Users whose view `views_count` counted, so that each counts once. Not shown by the admin list.
    public var viewerIds: [Int]
    /// Unix seconds of the last edit.
    public var editedAt: Int64?
    /// Users who deleted the message for themselves.
    public var deletedForIds: [Int]
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds.
    public var updatedAt: Int64

    public init(
        id: ObjectId, chatDialogId: ObjectId, text: String?, dateSent: Int64, senderId: Int, recipientId: Int = 0,
        readIds: [Int] = [], deliveredIds: [Int] = [], attachments: [JSONObject] = [],
        customFields: JSONObject = JSONObject(), reactions: [Reaction] = [], viewsCount: Int = 0,
        viewerIds: [Int] = [], editedAt: Int64? = nil, deletedForIds: [Int] = [], createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.chatDialogId = chatDialogId
        self.text = text
        self.dateSent = dateSent
        self.senderId = senderId
        self.recipientId = recipientId
        self.readIds = readIds
        self.deliveredIds = deliveredIds
        self.attachmentsJSON = DeferredJSON(.array(attachments.map(JSONValue.object)))
        self.customFieldsJSON = DeferredJSON(.object(customFields))
        self.reactions = reactions
        self.viewsCount = viewsCount
        self.viewerIds = viewerIds
        self.editedAt = editedAt
        self.deletedForIds = deletedForIds
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// `read` as the admin list shows it: 1 once anyone but the sender has read the message.
    public var isRead: Bool { readIds.contains { $0 != senderId } }

    /// Field names a custom parameter may not take: they are the message's own.
    public static let systemFields: Set<String> = [
        "_id", "chat_dialog_id", "message", "date_sent", "sender_id", "recipient_id", "created_at",
        "updated_at", "read_ids", "delivered_ids", "attachments", "reactions", "views_count", "edited_at",
        "read", "deleted_for_ids", "send_to_chat", "markable", "token", "id",
    ]
}

/// One emoji and the users who reacted with it, in the order they did.
public struct Reaction: Sendable, Equatable {
    public var emoji: String
    public var userIds: [Int]

    public init(emoji: String, userIds: [Int]) {
        self.emoji = emoji
        self.userIds = userIds
    }
}
