import ConfabCore
import Foundation
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
            .text(StoredJSON.objects(message.attachments)),
            .text(StoredJSON.object(message.customFields)),
            .text(StoredJSON.reactions(message.reactions)),
            StoredValue(message.viewsCount),
            StoredValue(message.editedAt),
            .json(StoredJSON.integers(message.deletedForIds)),
            StoredValue(message.createdAt),
            StoredValue(message.updatedAt),
            .json(StoredJSON.integers(message.viewerIds)),
        ]
    }

    static func decode(_ row: any SQLRow) throws -> Message {
        Message(
            id: try objectId(try row.decode(column: "id", as: Data.self), column: "id"),
            chatDialogId: try objectId(
                try row.decode(column: "chat_dialog_id", as: Data.self), column: "chat_dialog_id"),
            text: try row.decode(column: "message", as: String?.self),
            dateSent: try row.decode(column: "date_sent", as: Int64.self),
            senderId: try row.decode(column: "sender_id", as: Int.self),
            recipientId: try row.decode(column: "recipient_id", as: Int.self),
            readIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "read_ids", as: String.self), column: "read_ids"),
            deliveredIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "delivered_ids", as: String.self), column: "delivered_ids"),
            attachments: try StoredJSON.decodeObjects(
                try row.decode(column: "attachments", as: String.self), column: "attachments"),
            customFields: try StoredJSON.decodeObject(
                try row.decode(column: "custom_fields", as: String.self), column: "custom_fields"),
            reactions: try StoredJSON.decodeReactions(
                try row.decode(column: "reactions", as: String.self), column: "reactions"),
            viewsCount: try row.decode(column: "views_count", as: Int.self),
            viewerIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "viewer_ids", as: String.self), column: "viewer_ids"),
            editedAt: try row.decode(column: "edited_at", as: Int64?.self),
            deletedForIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "deleted_for_ids", as: String.self), column: "deleted_for_ids"),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self)
        )
    }
}
