import ConfabCore

/// Refuses text that a database would not keep intact: SQLite cuts text at a NUL character and
/// PostgreSQL refuses it, in text and in `jsonb` alike. (Text columns holding JSON escape it as
/// `\u0000`, which both keep.)
enum StorableText {
    static func check(dialogs: [Dialog], messages: [Message]) throws {
        for dialog in dialogs {
            for (field, value) in [("name", dialog.name), ("description", dialog.description), ("photo", dialog.photo)]
            {
                try check(value, field: field, id: dialog.id)
            }
            try check(dialog.lastMessage?.text, field: "last_message", id: dialog.id)
        }
        for message in messages {
            try check(message.text, field: "message", id: message.id)
            if message.customFields.containsNULCharacter {
                throw StoreError.unstorableValue("a custom field of \(message.id) contains a NUL character")
            }
        }
    }

    private static func check(_ value: String?, field: String, id: ObjectId) throws {
        guard let value, value.utf8.contains(0) else { return }
        throw StoreError.unstorableValue("\(field) of \(id) contains a NUL character")
    }
}
