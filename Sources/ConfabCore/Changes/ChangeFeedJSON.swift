/// The change feed's answer, `GET /admin/chat/changes`:
/// `{"changes":[{"kind":"dialog"|"message","op":"upsert"|"delete","_id":…,"chat_dialog_id":…
/// (messages),"changed_at":unix seconds,"item":{…the admin list item…} (upserts)}],
/// "next_cursor":"…","has_more":true|false}`.
public enum ChangeFeedJSON {
    public static func encode(_ page: ChangePage) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + page.changes.count * 800)
        writer.beginObject()
        writer.key("changes")
        writer.beginArray()
        for change in page.changes {
            writer.beginObject()
            switch change {
            case .dialog(let dialog, _):
                head(&writer, kind: "dialog", op: "upsert", id: dialog.id, dialogId: nil, at: dialog.updatedAt)
                writer.key("item")
                AdminListJSON.write(dialog, to: &writer)
            case .message(let message, _):
                head(
                    &writer, kind: "message", op: "upsert", id: message.id, dialogId: message.chatDialogId,
                    at: message.updatedAt)
                writer.key("item")
                AdminListJSON.write(message, to: &writer)
            case .deletedDialog(let id, _, let at):
                head(&writer, kind: "dialog", op: "delete", id: id, dialogId: nil, at: at)
            case .deletedMessage(let id, let dialogId, _, let at):
                head(&writer, kind: "message", op: "delete", id: id, dialogId: dialogId, at: at)
            }
            writer.endObject()
        }
        writer.endArray()
        writer.member("next_cursor", page.nextCursor.text)
        writer.member("has_more", page.hasMore)
        writer.endObject()
        return writer.bytes
    }

    private static func head(
        _ writer: inout JSONWriter, kind: String, op: String, id: ObjectId, dialogId: ObjectId?, at: Int64
    ) {
        writer.member("kind", kind)
        writer.member("op", op)
        writer.member("_id", id)
        if let dialogId { writer.member("chat_dialog_id", dialogId) }
        writer.member("changed_at", at)
    }

    /// A page as `encode` writes it. Changes read back carry sequence 0: the wire has only the
    /// page's `next_cursor`, which is all a client resumes from.
    public static func decode(_ bytes: [UInt8]) throws -> ChangePage {
        guard case .object(let object) = try JSONParser.parse(bytes, limits: .stored),
            case .array(let entries)? = object["changes"], case .string(let cursorText)? = object["next_cursor"],
            let cursor = ChangeCursor(text: cursorText), case .bool(let hasMore)? = object["has_more"]
        else { throw ChangeFeedError("the answer is not a page of changes") }
        var changes: [ChatChange] = []
        changes.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard case .object(let change) = entry, case .string(let kind)? = change["kind"],
                case .string(let op)? = change["op"], case .string(let idText)? = change["_id"],
                let id = ObjectId(hex: idText), case .integer(let at)? = change["changed_at"]
            else { throw ChangeFeedError("change \(index) lacks kind, op, _id or changed_at") }
            let dialogId: ObjectId? = change["chat_dialog_id"].flatMap {
                if case .string(let text) = $0 { ObjectId(hex: text) } else { nil }
            }
            switch (kind, op) {
            case ("dialog", "upsert"), ("message", "upsert"):
                guard case .object(let item)? = change["item"] else {
                    throw ChangeFeedError("change \(index) is an upsert without its item")
                }
                do {
                    changes.append(
                        kind == "dialog"
                            ? .dialog(try AdminListJSON.dialog(from: item), sequence: 0)
                            : .message(try AdminListJSON.message(from: item), sequence: 0))
                } catch {
                    throw ChangeFeedError("change \(index): \(error)")
                }
            case ("dialog", "delete"):
                changes.append(.deletedDialog(id, sequence: 0, at: at))
            case ("message", "delete"):
                guard let dialogId else { throw ChangeFeedError("change \(index) is a message without its dialog") }
                changes.append(.deletedMessage(id, dialogId: dialogId, sequence: 0, at: at))
            default:
                throw ChangeFeedError("change \(index) is neither a dialog nor a message upsert or delete")
            }
        }
        return ChangePage(changes: changes, nextCursor: cursor, hasMore: hasMore)
    }
}

/// A change feed answer that is not one.
public struct ChangeFeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
