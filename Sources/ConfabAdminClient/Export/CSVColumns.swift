import ConfabCore

/// The fixed CSV columns of each list: the members the admin list documents, in its order (a
/// dialog's `extensions` and `permissions` last, empty where it has none), then `custom_fields`
/// for every other member. The set does not depend on the data, so files of one
/// list always line up.
enum CSVColumns {
    static let dialogs = [
        "_id", "user_id", "created_at", "updated_at", "type", "occupants_ids", "last_message",
        "last_message_date_sent", "last_message_id", "last_message_user_id", "last_message_status", "name",
        "description", "photo", "occupants_count", "xmpp_room_jid", "is_e2ee", "admins_ids", "is_muted",
        "unread_messages_count", "pinned_messages_ids", "deleted_ids", "silent_ids", "extensions", "permissions",
    ]
    static let messages = [
        "_id", "chat_dialog_id", "message", "date_sent", "sender_id", "recipient_id", "created_at", "updated_at",
        "read_ids", "delivered_ids", "attachments", "reactions", "views_count", "edited_at", "read",
        "deleted_for_ids",
    ]
    static let customFields = "custom_fields"

    static func names(for collection: ChatCollection) -> [String] {
        (collection == .dialogs ? dialogs : messages) + [customFields]
    }

    /// The cells of one item: text as it is, `null` and missing members empty, other values as
    /// compact JSON.
    static func cells(of json: JSONObject, collection: ChatCollection) -> [String] {
        let known = collection == .dialogs ? dialogs : messages
        var cells = known.map { cell(json[$0]) }
        let knownSet = Set(known)
        let others = JSONObject(members: json.members.filter { !knownSet.contains($0.key) })
        cells.append(others.isEmpty ? "" : JSONValue.object(others).jsonText)
        return cells
    }

    private static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: text
        case let value?: value.jsonText
        }
    }
}

/// One CSV record as RFC 4180 writes it: CRLF at the end; a cell with a comma, quote, CR or LF
/// in double quotes, its quotes doubled.
enum CSVRecord {
    static func encode(_ cells: [String]) -> [UInt8] {
        var bytes = [UInt8]()
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let needsQuotes = cell.utf8.contains {
                $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A
            }
            guard needsQuotes else {
                bytes += cell.utf8
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in cell.utf8 {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes += [0x0D, 0x0A]
        return bytes
    }
}
