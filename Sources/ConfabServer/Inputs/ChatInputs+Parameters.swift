import ConfabChat
import ConfabCore
import ConfabRequests

/// `POST /chat/Dialog` (and `POST /admin/chat`) as parsed from its parameters.
extension NewDialog {
    static let keys: Set<String> = [
        "type", "name", "photo", "description", "occupants_ids", "admins_ids", "extensions", "permissions",
    ]

    static func read(from reader: inout ParameterReader) -> NewDialog? {
        let typeNumber = reader.integer("type", in: 1...4)
        if !reader.contains("type") { reader.fail("type", "is required: 1 broadcast, 2 group, 3 private, 4 public") }
        let fields = DialogFields.read(from: &reader)
        let occupants = reader.userIds("occupants_ids", maximumCount: ChatLimits.occupantsPerRequest) ?? []
        let admins = reader.userIds("admins_ids", maximumCount: ChatLimits.adminsPerDialog) ?? []
        guard let typeNumber, let type = DialogType(rawValue: Int(typeNumber)) else { return nil }
        return NewDialog(
            type: type, name: fields.name, photo: fields.photo, description: fields.description,
            occupantsIds: occupants, adminsIds: admins, extensions: fields.extensions.filter { !$0.value.isEmpty },
            allowsPreview: fields.allowsPreview ?? false)
    }
}

extension DialogFields {
    static func read(from reader: inout ParameterReader) -> DialogFields {
        DialogFields(
            name: reader.string("name", maximumBytes: ChatLimits.dialogNameBytes),
            photo: reader.string("photo", maximumBytes: ChatLimits.photoBytes),
            description: reader.string("description", maximumBytes: ChatLimits.descriptionBytes),
            extensions: readExtensions(from: &reader),
            allowsPreview: readPermissions(from: &reader)
        )
    }
}

/// `PUT /chat/Dialog/{id}`: new fields, and `push_all`/`pull_all` of occupants and pinned messages.
extension DialogChanges {
    static let keys: Set<String> = [
        "name", "photo", "description", "extensions", "permissions", "push_all", "pull_all",
    ]

    static func read(from reader: inout ParameterReader, extraKeys: Set<String> = []) -> DialogChanges {
        var changes = DialogChanges(fields: DialogFields.read(from: &reader))
        if var push = reader.object("push_all") {
            changes.pushOccupants =
                push.userIds("occupants_ids", maximumCount: ChatLimits.occupantsPerRequest) ?? []
            changes.pushPinned = push.objectIds("pinned_messages_ids", maximumCount: ChatLimits.idsPerRequest) ?? []
            rejectUnknown(in: &push, allowed: ["occupants_ids", "pinned_messages_ids"])
            reader.merge(push)
        }
        if var pull = reader.object("pull_all") {
            changes.pullOccupants =
                pull.userIds("occupants_ids", maximumCount: ChatLimits.occupantsPerRequest) ?? []
            changes.pullPinned = pull.objectIds("pinned_messages_ids", maximumCount: ChatLimits.idsPerRequest) ?? []
            rejectUnknown(in: &pull, allowed: ["occupants_ids", "pinned_messages_ids"])
            reader.merge(pull)
        }
        rejectUnknown(in: &reader, allowed: keys.union(extraKeys))
        return changes
    }
}

/// `push_all`/`pull_all` of `admins_ids`, for `PUT /chat/Dialog/{id}/admins`.
extension AdminChanges {
    static func read(from reader: inout ParameterReader) -> AdminChanges {
        var changes = AdminChanges()
        for key in ["push_all", "pull_all"] {
            guard var inner = reader.object(key) else { continue }
            let ids = inner.userIds("admins_ids", maximumCount: ChatLimits.adminsPerDialog) ?? []
            if key == "push_all" { changes.push = ids } else { changes.pull = ids }
            rejectUnknown(in: &inner, allowed: ["admins_ids"])
            reader.merge(inner)
        }
        rejectUnknown(in: &reader, allowed: ["push_all", "pull_all"])
        if changes.push.isEmpty, changes.pull.isEmpty {
            reader.fail("push_all", "or pull_all with admins_ids is required")
        }
        return changes
    }
}

/// `POST /chat/Message` as parsed: where it goes, and what it carries.
extension NewMessage {
    /// Parameters of the message itself; every other key is a custom field.
    static let inputKeys: Set<String> = [
        "chat_dialog_id", "recipient_id", "message", "attachments", "send_to_chat", "markable", "date_sent", "token",
    ]

    static func read(from reader: inout ParameterReader) -> NewMessage? {
        let dialogId = reader.objectId("chat_dialog_id")
        let recipientId = reader.userId("recipient_id")
        // Both may come (the REST docs' own example sends both): the dialog decides, and the
        // message's recipient_id is then its private opponent, as always.
        if !reader.contains("chat_dialog_id"), !reader.contains("recipient_id") {
            reader.fail("chat_dialog_id", "is required (or recipient_id, for a private message)")
        }
        let text = reader.string("message", maximumBytes: ChatLimits.messageBytes)
        let attachments = readAttachments(from: &reader)
        _ = reader.flag("send_to_chat")
        _ = reader.flag("markable")
        let dateSent = reader.integer("date_sent", in: 0...Int64(UInt32.max))
        if (text ?? "").isEmpty, attachments.isEmpty {
            reader.fail("message", "is required unless attachments are given")
        }
        var custom = JSONObject()
        for member in reader.object.members where !inputKeys.contains(member.key) {
            if Message.systemFields.contains(member.key) {
                reader.fail(member.key, "is a field of the message itself and cannot be set as a custom parameter")
            } else if member.key.utf8.count > 64 {
                reader.fail(member.key, "custom parameter names are at most 64 bytes")
            } else if member.key.utf8.contains(0) || member.value.containsNULCharacter {
                reader.fail(member.key, "must not contain NUL characters")
            } else {
                custom.members.append(member)
            }
        }
        let target: Target
        if let dialogId {
            target = .dialog(dialogId)
        } else if let recipientId {
            target = .recipient(recipientId)
        } else {
            return nil
        }
        return NewMessage(
            target: target, text: text, attachments: attachments, customFields: custom, dateSent: dateSent)
    }

    /// An array of objects, or an object of them keyed by index (`attachments[0][type]=image`),
    /// in index order.
    private static func readAttachments(from reader: inout ParameterReader) -> [JSONObject] {
        guard let value = reader.object["attachments"] else { return [] }
        var elements: [JSONValue]
        switch value {
        case .array(let array):
            elements = array
        case .object(let keyed):
            let indexed = keyed.members.map { (Int($0.key), $0.value) }
            guard indexed.allSatisfy({ $0.0 != nil }) else {
                reader.fail("attachments", "must be an array of objects, or an object of them keyed 0, 1, …")
                return []
            }
            elements = indexed.sorted { $0.0! < $1.0! }.map(\.1)
        default:
            reader.fail("attachments", "must be an array of objects, or an object of them keyed 0, 1, …")
            return []
        }
        guard elements.count <= ChatLimits.attachmentsPerMessage else {
            reader.fail("attachments", "must be at most \(ChatLimits.attachmentsPerMessage)")
            return []
        }
        var attachments = [JSONObject]()
        for element in elements {
            guard case .object(let attachment) = element else {
                reader.fail("attachments", "each attachment must be an object (type, id, url, …)")
                return []
            }
            attachments.append(attachment)
        }
        return attachments
    }
}

/// `PUT /chat/Message/{ids}`: receipts and an edit.
extension MessageChanges {
    static func read(from reader: inout ParameterReader) -> MessageChanges {
        var changes = MessageChanges()
        for key in ["read", "delivered"] {
            guard let flag = reader.flag(key) else { continue }
            if !flag { reader.fail(key, "can only be 1: receipts are not taken back") }
            if key == "read" { changes.read = flag } else { changes.delivered = flag }
        }
        changes.text = reader.string("message", maximumBytes: ChatLimits.messageBytes, allowEmpty: false)
        rejectUnknown(in: &reader, allowed: ["read", "delivered", "message", "chat_dialog_id"])
        if !changes.read, !changes.delivered, changes.text == nil, reader.errors.isEmpty {
            reader.fail("read", "give read=1, delivered=1 or message")
        }
        return changes
    }
}

/// Refuses keys a request does not take, where its API refuses them (`UnknownParameters`), so
/// that a misspelt field of the Admin API is an error rather than a no-op.
func rejectUnknown(in reader: inout ParameterReader, allowed: Set<String>) {
    guard reader.unknownParameters == .refuse else { return }
    for member in reader.object.members where !allowed.contains(member.key) {
        reader.fail(
            member.key, "is not a parameter of this request; accepted: \(allowed.sorted().joined(separator: ", "))")
    }
}
