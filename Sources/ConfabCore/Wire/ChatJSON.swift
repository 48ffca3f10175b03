/// The response bodies of the chat REST API (`chat-rest-api.md`), written in ConnectyCube's
/// shapes. Dialogs and messages are the admin list's items seen by one user.
public enum ChatJSON {
    /// `{"session":{…}}` with its token (only ever to the session's own holder) and, for a
    /// user's session, the `user`, as ConnectyCube's docs and SDKs show it.
    public static func session(_ session: ChatSession, token: String, user: ChatUser?) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("session")
        writer.beginObject()
        writer.member("id", session.id)
        writer.member("application_id", session.applicationId)
        writer.member("user_id", session.userId ?? 0)
        writer.member("nonce", session.nonce)
        writer.member("token", token)
        writer.member("ts", session.timestamp)
        writer.member("created_at", timestamp: session.createdAt)
        writer.member("updated_at", timestamp: session.updatedAt)
        if let user {
            writer.key("user")
            write(user, to: &writer)
        }
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    /// `{"user":{…}}`.
    public static func user(_ user: ChatUser) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("user")
        write(user, to: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// `{"items":[{…user…},…]}`: the users themselves, unwrapped, as dialog occupants are listed.
    public static func users(_ users: [ChatUser]) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + users.count * 256)
        writer.beginObject()
        writeItems(users, to: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// ConnectyCube's user object, in its order. `last_request_at` is not tracked (always null);
    /// `external_id` repeats `external_user_id`, its newer name.
    /// `GET /users/v2`: `{"limit":…,"skip":…,"total_entries":…,"items":[{…user…}]}`.
    public static func usersV2(_ page: ListPage<ChatUser>) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + page.items.count * 256)
        writer.beginObject()
        writer.member("limit", page.limit)
        writer.member("skip", page.skip)
        writer.member("total_entries", page.totalEntries)
        writeItems(page.items, to: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// `"items":[{…user…},…]`, the users unwrapped.
    private static func writeItems(_ users: [ChatUser], to writer: inout JSONWriter) {
        writer.key("items")
        writer.beginArray()
        for user in users { write(user, to: &writer) }
        writer.endArray()
    }

    /// `GET /users` (v1): `{"current_page":…,"per_page":…,"total_entries":…,"items":[{"user":{…}}]}`.
    public static func usersV1(_ page: ListPage<ChatUser>, currentPage: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + page.items.count * 264)
        writer.beginObject()
        writer.member("current_page", currentPage)
        writer.member("per_page", page.limit)
        writer.member("total_entries", page.totalEntries)
        writer.key("items")
        writer.beginArray()
        for user in page.items {
            writer.beginObject()
            writer.key("user")
            write(user, to: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ user: ChatUser, to writer: inout JSONWriter) {
        let profile = user.profile
        writer.beginObject()
        writer.member("id", user.id)
        writer.member("full_name", user.fullName)
        writer.member("email", user.email)
        writer.member("login", user.login)
        writer.member("phone", user.phone)
        writer.member("website", profile.website)
        writer.member("created_at", timestamp: user.createdAt)
        writer.member("updated_at", timestamp: user.updatedAt)
        writer.nullMember("last_request_at")
        writer.member("external_user_id", profile.externalUserId)
        writer.member("external_id", profile.externalUserId)
        writer.member("facebook_id", profile.facebookId)
        writer.member("twitter_id", profile.twitterId)
        writer.member("blob_id", profile.blobId)
        writer.member("custom_data", user.customData)
        writer.member("avatar", profile.avatar)
        writer.member("user_tags", profile.tags.isEmpty ? nil : profile.tags.joined(separator: ","))
        writer.member("timezone", profile.timezone)
        writer.endObject()
    }

    /// One dialog as `viewer` sees it.
    public static func dialog(_ view: DialogView) -> [UInt8] {
        var writer = JSONWriter(capacity: 768)
        write(view, to: &writer)
        return writer.bytes
    }

    /// One message as the user `viewerId` sees it.
    public static func message(_ message: Message, viewerId: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 768)
        AdminListJSON.write(message, to: &writer, viewerId: viewerId)
        return writer.bytes
    }

    /// `{"total_entries":…,"skip":…,"limit":…,"items":[…]}` of a user's dialogs.
    public static func dialogs(_ page: ListPage<DialogView>) -> [UInt8] {
        AdminListJSON.encode(page, bytesPerItem: 768) { writer, view in write(view, to: &writer) }
    }

    /// The same shape for a dialog's messages.
    public static func messages(_ page: ListPage<Message>, viewerId: Int) -> [UInt8] {
        AdminListJSON.encode(page, bytesPerItem: 640) { writer, message in
            AdminListJSON.write(message, to: &writer, viewerId: viewerId)
        }
    }

    /// `{"items_count":N}`, the answer to `count=1`.
    public static func count(_ count: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 32)
        writer.beginObject()
        writer.member("items_count", count)
        writer.endObject()
        return writer.bytes
    }

    /// `{"SuccessfullyDeleted":{"ids":[…]},"NotFound":{"ids":[…]},"WrongPermissions":{"ids":[…]}}`.
    public static func deletion(_ outcome: DeletionOutcome) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        for (key, ids) in [
            ("SuccessfullyDeleted", outcome.deleted), ("NotFound", outcome.notFound),
            ("WrongPermissions", outcome.wrongPermissions),
        ] {
            writer.key(key)
            writer.beginObject()
            writer.member("ids", ids)
            writer.endObject()
        }
        writer.endObject()
        return writer.bytes
    }

    /// `{"notifications":{"enabled":1}}`.
    public static func notifications(enabled: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 48)
        writer.beginObject()
        writer.key("notifications")
        writer.beginObject()
        writer.member("enabled", enabled ? 1 : 0)
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    /// `{"👍":[user ids],…}`.
    public static func reactions(_ reactions: [Reaction]) -> [UInt8] {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        for reaction in reactions { writer.member(reaction.emoji, reaction.userIds) }
        writer.endObject()
        return writer.bytes
    }

    /// `{"total":5,"<dialog id>":3,…}`.
    public static func unread(_ counts: [(ObjectId, Int)]) -> [UInt8] {
        var writer = JSONWriter(capacity: 32 + counts.count * 36)
        writer.beginObject()
        writer.member("total", counts.reduce(0) { $0 + $1.1 })
        for (id, count) in counts { writer.member(id.hex, count) }
        writer.endObject()
        return writer.bytes
    }

    /// `{"success":true}`.
    public static let success = Array(#"{"success":true}"#.utf8)

    private static func write(_ view: DialogView, to writer: inout JSONWriter) {
        AdminListJSON.write(
            view.dialog, to: &writer, isMuted: view.dialog.silentIds.contains(view.viewerId),
            unreadMessagesCount: view.unreadMessagesCount)
    }
}

/// A dialog as one user sees it: with whether they muted it and how many messages they have not read.
public struct DialogView: Sendable, Equatable {
    public var dialog: Dialog
    public var viewerId: Int
    public var unreadMessagesCount: Int

    public init(dialog: Dialog, viewerId: Int, unreadMessagesCount: Int) {
        self.dialog = dialog
        self.viewerId = viewerId
        self.unreadMessagesCount = unreadMessagesCount
    }
}

/// What a delete of several ids did with each, as the three lists of the response.
public struct DeletionOutcome: Sendable, Equatable {
    public var deleted: [ObjectId] = []
    public var notFound: [ObjectId] = []
    public var wrongPermissions: [ObjectId] = []

    public init() {}
}
