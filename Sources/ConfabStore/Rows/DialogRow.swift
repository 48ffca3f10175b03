import ConfabCore
import Foundation
import SQLKit

/// How a `Dialog` maps to a row of `dialogs`.
enum DialogRow {
    static let columns = [
        "id", "user_id", "type", "name", "description", "photo", "occupants_ids", "occupants_count",
        "xmpp_room_jid", "is_e2ee", "admins_ids", "pinned_messages_ids", "last_message", "last_message_date_sent",
        "last_message_id", "last_message_user_id", "last_message_status", "deleted_ids", "silent_ids",
        "created_at", "updated_at", "subscribers_ids", "private_pair", "extensions", "allow_preview",
    ]

    /// `application_id` followed by `columns`' values, in order.
    static func values(_ dialog: Dialog, applicationId: Int) -> [StoredValue] {
        let last = dialog.lastMessage
        return [
            StoredValue(applicationId),
            .blob(dialog.id.bytes),
            StoredValue(dialog.userId),
            StoredValue(dialog.type.rawValue),
            StoredValue(dialog.name),
            StoredValue(dialog.description),
            StoredValue(dialog.photo),
            .json(StoredJSON.integers(dialog.occupantsIds)),
            StoredValue(dialog.occupantsCount),
            StoredValue(dialog.xmppRoomJid),
            .bool(dialog.isE2ee),
            .json(StoredJSON.integers(dialog.adminsIds)),
            .json(StoredJSON.objectIds(dialog.pinnedMessagesIds)),
            StoredValue(last?.text),
            StoredValue(last?.dateSent),
            last.map { .blob($0.id.bytes) } ?? .null,
            StoredValue(last?.userId),
            StoredValue(last?.status.rawValue),
            .json(StoredJSON.integers(dialog.deletedIds)),
            .json(StoredJSON.integers(dialog.silentIds)),
            StoredValue(dialog.createdAt),
            StoredValue(dialog.updatedAt),
            .json(StoredJSON.integers(dialog.subscribersIds)),
            StoredValue(privatePair(of: dialog)),
            // Text holding JSON on both stores, keys in byte order, as the lists write it.
            dialog.extensions.isEmpty ? .null : .text(StoredJSON.strings(dialog.extensions)),
            .bool(dialog.allowsPreview),
        ]
    }

    /// `"low:high"` of a private dialog's two users, by which it is found again.
    static func privatePair(of dialog: Dialog) -> String? {
        guard dialog.type == .privateChat, dialog.occupantsIds.count == 2 else { return nil }
        return privatePair(dialog.occupantsIds[0], dialog.occupantsIds[1])
    }

    static func privatePair(_ first: Int, _ second: Int) -> String {
        "\(min(first, second)):\(max(first, second))"
    }

    static func decode(_ row: any SQLRow) throws -> Dialog {
        let typeNumber = try row.decode(column: "type", as: Int.self)
        guard let type = DialogType(rawValue: typeNumber) else {
            throw StoreError.corruptRow("dialog type \(typeNumber)")
        }
        var lastMessage: LastMessage?
        if let lastId = try row.decode(column: "last_message_id", as: Data?.self) {
            let statusText = try row.decode(column: "last_message_status", as: String.self)
            guard let status = MessageStatus(rawValue: statusText) else {
                throw StoreError.corruptRow("last_message_status \(statusText)")
            }
            lastMessage = LastMessage(
                id: try objectId(lastId, column: "last_message_id"),
                text: try row.decode(column: "last_message", as: String?.self),
                dateSent: try row.decode(column: "last_message_date_sent", as: Int64.self),
                userId: try row.decode(column: "last_message_user_id", as: Int.self),
                status: status
            )
        }
        return Dialog(
            id: try objectId(try row.decode(column: "id", as: Data.self), column: "id"),
            userId: try row.decode(column: "user_id", as: Int.self),
            type: type,
            name: try row.decode(column: "name", as: String?.self),
            description: try row.decode(column: "description", as: String?.self),
            photo: try row.decode(column: "photo", as: String?.self),
            occupantsIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "occupants_ids", as: String.self), column: "occupants_ids"),
            occupantsCount: try row.decode(column: "occupants_count", as: Int?.self),
            xmppRoomJid: try row.decode(column: "xmpp_room_jid", as: String?.self),
            isE2ee: try row.decode(column: "is_e2ee", as: Bool.self),
            adminsIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "admins_ids", as: String.self), column: "admins_ids"),
            pinnedMessagesIds: try StoredJSON.decodeObjectIds(
                try row.decode(column: "pinned_messages_ids", as: String.self), column: "pinned_messages_ids"),
            lastMessage: lastMessage,
            deletedIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "deleted_ids", as: String.self), column: "deleted_ids"),
            silentIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "silent_ids", as: String.self), column: "silent_ids"),
            subscribersIds: try StoredJSON.decodeIntegers(
                try row.decode(column: "subscribers_ids", as: String.self), column: "subscribers_ids"),
            extensions: try StoredJSON.decodeStrings(
                try row.decode(column: "extensions", as: String?.self), column: "extensions"),
            allowsPreview: try row.decode(column: "allow_preview", as: Bool.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self)
        )
    }
}

/// A stored 12-byte id, or a corrupt-row error naming the column.
func objectId(_ data: Data, column: String) throws -> ObjectId {
    guard let id = ObjectId(bytes: data) else { throw StoreError.corruptRow("\(column) is not 12 bytes") }
    return id
}
