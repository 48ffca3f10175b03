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

    /// Reads `columns` in order.
    static func decode(_ row: any RowColumns) throws -> Dialog {
        var column = ColumnCursor(row, names: columns)
        let id = try column.objectId()
        let userId = try column.int()
        let typeNumber = try column.int()
        guard let type = DialogType(rawValue: typeNumber) else {
            throw StoreError.corruptRow("dialog type \(typeNumber)")
        }
        let name = try column.optionalText()
        let description = try column.optionalText()
        let photo = try column.optionalText()
        let occupantsIds = try column.json(StoredJSON.decodeIntegers)
        let occupantsCount = try column.optionalInt()
        let xmppRoomJid = try column.optionalText()
        let isE2ee = try column.flag()
        let adminsIds = try column.json(StoredJSON.decodeIntegers)
        let pinnedMessagesIds = try column.json(StoredJSON.decodeObjectIds)
        let lastText = try column.optionalText()
        let lastDateSent = try column.optionalInteger()
        let lastId = try column.optionalObjectId()
        let lastUserId = try column.optionalInt()
        let lastStatus = try column.optionalText()
        var lastMessage: LastMessage?
        if let lastId {
            guard let lastDateSent, let lastUserId, let status = lastStatus.flatMap(MessageStatus.init(rawValue:))
            else { throw StoreError.corruptRow("last_message_* of dialog \(id) are incomplete") }
            lastMessage = LastMessage(
                id: lastId, text: lastText, dateSent: lastDateSent, userId: lastUserId, status: status)
        }
        let deletedIds = try column.json(StoredJSON.decodeIntegers)
        let silentIds = try column.json(StoredJSON.decodeIntegers)
        let createdAt = try column.integer()
        let updatedAt = try column.integer()
        let subscribersIds = try column.json(StoredJSON.decodeIntegers)
        _ = try column.optionalText()  // private_pair: a lookup key, not a field
        let extensions = try StoredJSON.decodeStrings(try column.optionalText(), column: "extensions")
        let allowsPreview = try column.flag()
        return Dialog(
            id: id, userId: userId, type: type, name: name, description: description, photo: photo,
            occupantsIds: occupantsIds, occupantsCount: occupantsCount, xmppRoomJid: xmppRoomJid, isE2ee: isE2ee,
            adminsIds: adminsIds, pinnedMessagesIds: pinnedMessagesIds, lastMessage: lastMessage,
            deletedIds: deletedIds, silentIds: silentIds, subscribersIds: subscribersIds, extensions: extensions,
            allowsPreview: allowsPreview, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// A stored 12-byte id, or a corrupt-row error naming the column.
func objectId(_ data: Data, column: String) throws -> ObjectId {
    guard let id = ObjectId(bytes: data) else { throw StoreError.corruptRow("\(column) is not 12 bytes") }
    return id
}
