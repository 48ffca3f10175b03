import ConfabCore
import SQLKit

/// How a `Message` maps to a row of `messages`.
enum MessageRow {
    static let columns = [
        "id", "chat_dialog_id", "message", "date_sent", "sender_id", "recipient_id", "read_ids", "delivered_ids",
        "attachments", "custom_fields", "reactions", "views_count", "edited_at", "deleted_for_ids", "created_at",
        "updated_at", "viewer_ids",
    ]

    /// `application_id` followed by `columns`' values, in order.
    static func values(_ message: Message, applicationId: Int) -> [StoredValue] {
        [
            StoredValue(applicationId),
            .blob(message.id.bytes),
            .blob(message.chatDialogId.bytes),
            StoredValue(message.text),
            StoredValue(message.dateSent),
            StoredValue(message.senderId),
            StoredValue(message.recipientId),
            .json(StoredJSON.integers(message.readIds)),
            .json(StoredJSON.integers(message.deliveredIds)),
            .text(message.attachmentsJSON.jsonText),
            .text(message.customFieldsJSON.jsonText),
            .text(StoredJSON.reactions(message.reactions)),
            StoredValue(message.viewsCount),
            StoredValue(message.editedAt),
            .json(StoredJSON.integers(message.deletedForIds)),
            StoredValue(message.createdAt),
            StoredValue(message.updatedAt),
            .json(StoredJSON.integers(message.viewerIds)),
        ]
    }

    /// Reads `columns` in order.
    static func decode(_ row: any RowColumns) throws -> Message {
        var column = ColumnCursor(row, names: columns)
        let id = try column.objectId()
        let chatDialogId = try column.objectId()
        let text = try column.optionalText()
        let dateSent = try column.integer()
        let senderId = try column.int()
        let recipientId = try column.int()
        let readIds = try column.json(StoredJSON.decodeIntegers)
        let deliveredIds = try column.json(StoredJSON.decodeIntegers)
        let attachments = try column.json(StoredJSON.deferredObjects)
        let customFields = try column.json(StoredJSON.deferredObject)
        let reactions = try column.json(StoredJSON.decodeReactions)
        let viewsCount = try column.int()
        let editedAt = try column.optionalInteger()
        let deletedForIds = try column.json(StoredJSON.decodeIntegers)
        let createdAt = try column.integer()
        let updatedAt = try column.integer()
        let viewerIds = try column.json(StoredJSON.decodeIntegers)
        var message = Message(
            id: id, chatDialogId: chatDialogId, text: text, dateSent: dateSent, senderId: senderId,
            recipientId: recipientId, readIds: readIds, deliveredIds: deliveredIds, reactions: reactions,
            viewsCount: viewsCount, viewerIds: viewerIds, editedAt: editedAt, deletedForIds: deletedForIds,
            createdAt: createdAt, updatedAt: updatedAt)
        message.attachmentsJSON = attachments
        message.customFieldsJSON = customFields
        return message
    }
}
