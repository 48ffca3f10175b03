/// Reads the items of admin list pages back into dialogs and messages: the inverse of
/// `AdminListJSON.write`, so that an export (Confab's or ConnectyCube's) can be loaded into a
/// store and listed again unchanged.
///
/// What the admin list does not show cannot come back: who reacted (only how many; the count is
/// kept as that many anonymous users, negative ids no real user has), who viewed (the count is
/// kept), subscribers of public dialogs (`occupants_count` is kept). `is_muted`,
/// `unread_messages_count` and `read` depend on the viewer or other fields and are not read.
extension AdminListJSON {
    public static func dialog(from object: JSONObject) throws(AdminItemError) -> Dialog {
        let fields = ItemFields(object)
        let id = try fields.objectId("_id")
        let typeNumber = try fields.integer("type")
        guard let type = DialogType(rawValue: typeNumber) else {
            throw AdminItemError(field: "type", reason: "must be 1, 2, 3 or 4, not \(typeNumber)")
        }
        var lastMessage: LastMessage?
        if let lastId = try fields.optionalObjectId("last_message_id") {
            let statusText = try fields.optionalString("last_message_status") ?? MessageStatus.sent.rawValue
            guard let status = MessageStatus(rawValue: statusText) else {
                throw AdminItemError(field: "last_message_status", reason: "must be sent, delivered or read")
            }
            lastMessage = LastMessage(
                id: lastId, text: try fields.optionalString("last_message"),
                dateSent: try fields.optionalInteger("last_message_date_sent").map(Int64.init) ?? 0,
                userId: try fields.optionalInteger("last_message_user_id") ?? 0, status: status)
        }
        var extensions = [String: String]()
        for member in try fields.optionalObject("extensions")?.members ?? [] {
            guard let value = member.value.stringValue, Dialog.isExtensionName(member.key) else {
                throw AdminItemError(field: "extensions", reason: "must map names (letters, digits, _) to text")
            }
            extensions[member.key] = value
        }
        guard extensions.count <= Dialog.maximumExtensions else {
            throw AdminItemError(field: "extensions", reason: "holds at most \(Dialog.maximumExtensions) fields")
        }
        let allowsPreview = try fields.optionalObject("permissions")?["allow_preview"] == .bool(true)
        return Dialog(
            id: id, userId: try fields.integer("user_id"), type: type,
            name: try fields.optionalString("name"), description: try fields.optionalString("description"),
            photo: try fields.optionalString("photo"), occupantsIds: try fields.integers("occupants_ids"),
            occupantsCount: try fields.optionalInteger("occupants_count"),
            xmppRoomJid: try fields.optionalString("xmpp_room_jid"), isE2ee: try fields.bool("is_e2ee"),
            adminsIds: try fields.integers("admins_ids"),
            pinnedMessagesIds: try fields.objectIds("pinned_messages_ids"),
            lastMessage: lastMessage, deletedIds: try fields.integers("deleted_ids"),
            silentIds: try fields.integers("silent_ids"), extensions: extensions,
            allowsPreview: allowsPreview, createdAt: try fields.timestamp("created_at"),
            updatedAt: try fields.timestamp("updated_at"))
    }

    /// A `created_at` or `updated_at` in unix seconds: ISO 8601 as the admin list shows it, or
    /// unix seconds as some exports hold it; `nil` for anything else.
    public static func seconds(_ value: JSONValue) -> Int64? {
        switch value {
        case .string(let text): UTCTimestamp.seconds(iso8601: text)
        case .integer(let seconds): seconds
        default: nil
        }
    }

    public static func message(from object: JSONObject) throws(AdminItemError) -> Message {
        let fields = ItemFields(object)
        let id = try fields.objectId("_id")
        let chatDialogId = try fields.objectId("chat_dialog_id")
        var reactions = [Reaction]()
        if let total = try fields.optionalObject("reactions")?["total"] {
            guard let counts = total.objectValue else {
                throw AdminItemError(field: "reactions", reason: "must have an object `total` of counts")
            }
            var anonymous = 0
            for member in counts.members {
                guard let count = member.value.integerValue, (0...1_000_000).contains(count) else {
                    throw AdminItemError(field: "reactions", reason: "must count each emoji with a whole number")
                }
                reactions.append(
                    Reaction(
                        emoji: member.key,
                        userIds: (0..<Int(count)).map { _ in
                            anonymous -= 1
                            return anonymous
                        }))
            }
        }
        let createdAt = try fields.timestamp("created_at")
        var message = Message(
            id: id, chatDialogId: chatDialogId,
            text: try fields.optionalString("message"),
            dateSent: try fields.optionalInteger("date_sent").map(Int64.init) ?? createdAt,
            senderId: try fields.integer("sender_id"), recipientId: try fields.optionalInteger("recipient_id") ?? 0,
            readIds: try fields.integers("read_ids"), deliveredIds: try fields.integers("delivered_ids"),
            attachments: try fields.objects("attachments"), reactions: reactions,
            viewsCount: try fields.optionalInteger("views_count") ?? 0,
            editedAt: try fields.optionalInteger("edited_at").map(Int64.init),
            deletedForIds: try fields.integers("deleted_for_ids"), createdAt: createdAt,
            updatedAt: try fields.timestamp("updated_at"))
        message.customFields = JSONObject(
            members: object.members.filter { !Message.systemFields.contains($0.key) })
        return message
    }
}

/// Typed reads of one item's members, each error naming the member.
private struct ItemFields {
    let object: JSONObject

    init(_ object: JSONObject) {
        self.object = object
    }

    private func value(_ key: String) -> JSONValue? {
        switch object[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    func objectId(_ key: String) throws(AdminItemError) -> ObjectId {
        guard let id = try optionalObjectId(key) else { throw AdminItemError(field: key, reason: "is missing") }
        return id
    }

    func optionalObjectId(_ key: String) throws(AdminItemError) -> ObjectId? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue, let id = ObjectId(hex: text) else {
            throw AdminItemError(field: key, reason: "must be an ObjectId: 24 hexadecimal characters")
        }
        return id
    }

    func integer(_ key: String) throws(AdminItemError) -> Int {
        guard let integer = try optionalInteger(key) else { throw AdminItemError(field: key, reason: "is missing") }
        return integer
    }

    func optionalInteger(_ key: String) throws(AdminItemError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let integer = value.integerValue.flatMap({ Int(exactly: $0) }) else {
            throw AdminItemError(field: key, reason: "must be a whole number")
        }
        return integer
    }

    func optionalString(_ key: String) throws(AdminItemError) -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.stringValue else { throw AdminItemError(field: key, reason: "must be a string") }
        return text
    }

    /// `false` when missing or `null`, as ConnectyCube shows `is_e2ee` of plain dialogs.
    func bool(_ key: String) throws(AdminItemError) -> Bool {
        guard let value = value(key) else { return false }
        guard case .bool(let flag) = value else { throw AdminItemError(field: key, reason: "must be true or false") }
        return flag
    }

    func timestamp(_ key: String) throws(AdminItemError) -> Int64 {
        guard let value = value(key) else { throw AdminItemError(field: key, reason: "is missing") }
        guard let seconds = AdminListJSON.seconds(value) else {
            throw AdminItemError(field: key, reason: "must be a time such as 2022-02-17T11:01:40Z")
        }
        return seconds
    }

    /// An array of user ids; `[]` when missing or `null`.
    func integers(_ key: String) throws(AdminItemError) -> [Int] {
        try array(key, of: "whole numbers") { $0.integerValue.flatMap { Int(exactly: $0) } }
    }

    func objectIds(_ key: String) throws(AdminItemError) -> [ObjectId] {
        try array(key, of: "ObjectIds") { $0.stringValue.flatMap { ObjectId(hex: $0) } }
    }

    func objects(_ key: String) throws(AdminItemError) -> [JSONObject] {
        try array(key, of: "objects") { $0.objectValue }
    }

    /// An array whose every element `read` accepts; `[]` when missing or `null`.
    private func array<Element>(
        _ key: String,
        of kind: String,
        _ read: (JSONValue) -> Element?
    ) throws(AdminItemError) -> [Element] {
        guard let value = value(key) else { return [] }
        guard let elements = value.arrayValue else { throw AdminItemError(field: key, reason: "must be an array") }
        var result = [Element]()
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let read = read(element) else { throw AdminItemError(field: key, reason: "must hold \(kind) only") }
            result.append(read)
        }
        return result
    }

    func optionalObject(_ key: String) throws(AdminItemError) -> JSONObject? {
        guard let value = value(key) else { return nil }
        guard let object = value.objectValue else { throw AdminItemError(field: key, reason: "must be an object") }
        return object
    }
}
