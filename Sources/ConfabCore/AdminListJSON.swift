/// Writes admin list pages in the reference's shape and key order:
/// `{"total_entries":…,"skip":…,"limit":…,"items":[…]}`.
public enum AdminListJSON {
    public static func encode(_ page: ListPage<Dialog>) -> [UInt8] {
        encode(page, bytesPerItem: 700) { writer, dialog in write(dialog, to: &writer) }
    }

    public static func encode(_ page: ListPage<Message>) -> [UInt8] {
        encode(page, bytesPerItem: 600) { writer, message in write(message, to: &writer) }
    }

    private static func encode<Item>(
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
    /// `unread_messages_count` are `null`.
    public static func write(_ dialog: Dialog, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("_id")
        writer.objectId(dialog.id)
        writer.key("user_id")
        writer.integer(dialog.userId)
        writer.key("created_at")
        writer.timestamp(dialog.createdAt)
        writer.key("updated_at")
        writer.timestamp(dialog.updatedAt)
        writer.key("type")
        writer.integer(dialog.type.rawValue)
        writer.key("occupants_ids")
        writer.integers(dialog.occupantsIds)
        let last = dialog.lastMessage
        writer.key("last_message")
        writer.optional(last?.text) { $0.string($1) }
        writer.key("last_message_date_sent")
        writer.optional(last?.dateSent) { $0.integer($1) }
        writer.key("last_message_id")
        writer.optional(last?.id) { $0.objectId($1) }
        writer.key("last_message_user_id")
        writer.optional(last?.userId) { $0.integer($1) }
        writer.key("last_message_status")
        writer.optional(last?.status) { $0.string($1.rawValue) }
        writer.key("name")
        writer.optional(dialog.name) { $0.string($1) }
        writer.key("description")
        writer.optional(dialog.description) { $0.string($1) }
        writer.key("photo")
        writer.optional(dialog.photo) { $0.string($1) }
        writer.key("occupants_count")
        writer.optional(dialog.occupantsCount) { $0.integer($1) }
        writer.key("xmpp_room_jid")
        writer.optional(dialog.xmppRoomJid) { $0.string($1) }
        writer.key("is_e2ee")
        writer.bool(dialog.isE2ee)
        writer.key("admins_ids")
        writer.integers(dialog.adminsIds)
        writer.key("is_muted")
        writer.null()
        writer.key("unread_messages_count")
        writer.null()
        writer.key("pinned_messages_ids")
        writer.beginArray()
        for id in dialog.pinnedMessagesIds { writer.objectId(id) }
        writer.endArray()
        writer.key("deleted_ids")
        writer.integers(dialog.deletedIds)
        writer.key("silent_ids")
        writer.integers(dialog.silentIds)
        writer.endObject()
    }

    /// A message as the admin list shows it: custom fields at the top level, `reactions` with an
    /// empty `own` (no current user), and `deleted_for_ids`.
    public static func write(_ message: Message, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("_id")
        writer.objectId(message.id)
        writer.key("chat_dialog_id")
        writer.objectId(message.chatDialogId)
        writer.key("message")
        writer.optional(message.text) { $0.string($1) }
        writer.key("date_sent")
        writer.integer(message.dateSent)
        writer.key("sender_id")
        writer.integer(message.senderId)
        writer.key("recipient_id")
        writer.integer(message.recipientId)
        writer.key("created_at")
        writer.timestamp(message.createdAt)
        writer.key("updated_at")
        writer.timestamp(message.updatedAt)
        writer.key("read_ids")
        writer.integers(message.readIds)
        writer.key("delivered_ids")
        writer.integers(message.deliveredIds)
        writer.members(of: message.customFields)
        writer.key("attachments")
        writer.beginArray()
        for attachment in message.attachments { writer.object(attachment) }
        writer.endArray()
        writer.key("reactions")
        if message.reactions.isEmpty {
            writer.null()
        } else {
            writer.beginObject()
            writer.key("own")
            writer.beginArray()
            writer.endArray()
            writer.key("total")
            writer.beginObject()
            for reaction in message.reactions {
                writer.key(reaction.emoji)
                writer.integer(reaction.userIds.count)
            }
            writer.endObject()
            writer.endObject()
        }
        writer.key("views_count")
        writer.integer(message.viewsCount)
        writer.key("edited_at")
        writer.optional(message.editedAt) { $0.integer($1) }
        writer.key("read")
        writer.integer(message.isRead ? 1 : 0)
        writer.key("deleted_for_ids")
        writer.integers(message.deletedForIds)
        writer.endObject()
    }
}
