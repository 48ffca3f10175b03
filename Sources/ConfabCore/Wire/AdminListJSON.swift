/// Writes admin list pages in the reference's shape and key order:
/// `{"total_entries":…,"skip":…,"limit":…,"items":[…]}`.
public enum AdminListJSON {
    public static func encode(_ page: ListPage<Dialog>) -> [UInt8] {
        encode(page, bytesPerItem: 700) { writer, dialog in write(dialog, to: &writer) }
    }

    public static func encode(_ page: ListPage<Message>) -> [UInt8] {
        encode(page, bytesPerItem: 600) { writer, message in write(message, to: &writer) }
    }

    static func encode<Item>(
        _ page: ListPage<Item>,
        bytesPerItem: Int,
        writeItem: (inout JSONWriter, Item) -> Void
    ) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + page.items.count * bytesPerItem)
        writer.beginObject()
        writer.key("total_entries")
        writer.integer(page.totalEntries)
        writer.key("skip")
        writer.integer(page.skip)
        writer.key("limit")
        writer.integer(page.limit)
        writer.key("items")
        writer.beginArray()
        for item in page.items { writeItem(&writer, item) }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// A dialog as the admin list shows it: no current user, so `is_muted` and
    /// `unread_messages_count` are `null`. A user's own view passes them.
    public static func write(
        _ dialog: Dialog,
        to writer: inout JSONWriter,
        isMuted: Bool? = nil,
        unreadMessagesCount: Int? = nil
    ) {
        let last = dialog.lastMessage
        writer.beginObject()
        writer.member("_id", dialog.id)
        writer.member("user_id", dialog.userId)
        writer.member("created_at", timestamp: dialog.createdAt)
        writer.member("updated_at", timestamp: dialog.updatedAt)
        writer.member("type", dialog.type.rawValue)
        writer.member("occupants_ids", dialog.occupantsIds)
        writer.member("last_message", last?.text)
        writer.member("last_message_date_sent", last?.dateSent)
        writer.member("last_message_id", last?.id)
        writer.member("last_message_user_id", last?.userId)
        writer.member("last_message_status", last?.status.rawValue)
        writer.member("name", dialog.name)
        writer.member("description", dialog.description)
        writer.member("photo", dialog.photo)
        writer.member("occupants_count", dialog.occupantsCount)
        writer.member("xmpp_room_jid", dialog.xmppRoomJid)
        writer.member("is_e2ee", dialog.isE2ee)
        writer.member("admins_ids", dialog.adminsIds)
        if let isMuted { writer.member("is_muted", isMuted) } else { writer.nullMember("is_muted") }
        writer.member("unread_messages_count", unreadMessagesCount)
        writer.member("pinned_messages_ids", dialog.pinnedMessagesIds)
        writer.member("deleted_ids", dialog.deletedIds)
        writer.member("silent_ids", dialog.silentIds)
        // Only where set, so that the dialogs of the reference's shape stay byte for byte as it shows them.
        if !dialog.extensions.isEmpty {
            writer.key("extensions")
            writer.beginObject()
            for name in dialog.extensions.keys.sorted() { writer.member(name, dialog.extensions[name]) }
            writer.endObject()
        }
        if dialog.allowsPreview {
            writer.key("permissions")
            writer.beginObject()
            writer.member("allow_preview", true)
            writer.endObject()
        }
        writer.endObject()
    }

    /// A message as the admin list shows it: custom fields at the top level, `reactions` with an
    /// empty `own` (no current user), and `deleted_for_ids`. A user's own view passes `viewerId`,
    /// whose reactions `own` lists, and has no `deleted_for_ids`.
    public static func write(_ message: Message, to writer: inout JSONWriter, viewerId: Int? = nil) {
        writer.beginObject()
        writer.member("_id", message.id)
        writer.member("chat_dialog_id", message.chatDialogId)
        writer.member("message", message.text)
        writer.member("date_sent", message.dateSent)
        writer.member("sender_id", message.senderId)
        writer.member("recipient_id", message.recipientId)
        writer.member("created_at", timestamp: message.createdAt)
        writer.member("updated_at", timestamp: message.updatedAt)
        writer.member("read_ids", message.readIds)
        writer.member("delivered_ids", message.deliveredIds)
        writer.members(of: message.customFieldsJSON)
        writer.key("attachments")
        writer.json(message.attachmentsJSON)
        writer.key("reactions")
        if message.reactions.isEmpty {
            writer.null()
        } else {
            writer.beginObject()
            writer.key("own")
            writer.beginArray()
            if let viewerId {
                for reaction in message.reactions where reaction.userIds.contains(viewerId) {
                    writer.string(reaction.emoji)
                }
            }
            writer.endArray()
            writer.key("total")
            writer.beginObject()
            for reaction in message.reactions { writer.member(reaction.emoji, reaction.userIds.count) }
            writer.endObject()
            writer.endObject()
        }
        writer.member("views_count", message.viewsCount)
        writer.member("edited_at", message.editedAt)
        writer.member("read", message.isRead ? 1 : 0)
        // Who deleted it for themselves is the operator's to see, not the other members'.
        if viewerId == nil { writer.member("deleted_for_ids", message.deletedForIds) }
        writer.endObject()
    }
}
