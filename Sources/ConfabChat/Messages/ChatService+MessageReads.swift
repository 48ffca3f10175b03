import ConfabCore
import ConfabStore

extension ChatService {
    /// `GET /chat/Message`: a page of the dialog's messages as the user may see them. Listing
    /// marks others' messages read (and delivered) unless `markAsRead` is false, and counts a
    /// view once per user in public and broadcast dialogs.
    ///
    /// With `preview`, a user who may not read the dialog gets its newest
    /// `ChatService.previewMessages`, oldest first, if its `permissions.allow_preview` is set:
    /// read only, filters, sort and paging ignored (ConnectyCube's preview of a channel before
    /// joining); `total_entries` (and `count=1`) is how many the preview holds.
    public func messages(
        in dialogId: ObjectId, for userId: Int, query: ListQuery, markAsRead: Bool, preview: Bool = false,
        applicationId: Int
    ) async throws -> ListPage<Message> {
        if preview, var page = try await previewPage(of: dialogId, for: userId, applicationId: applicationId) {
            if query.countOnly { page.items = [] }
            return page
        }
        return try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(dialogId, to: .user(userId), in: transaction)
            var page = try await transaction.messages(in: dialogId, visibleTo: userId, query: query)
            guard !query.countOnly else { return page }
            let now = clock()
            for index in page.items.indices where page.items[index].senderId != userId {
                var message = page.items[index]
                if markAsRead {
                    message.add(userId, to: \.readIds)
                    message.add(userId, to: \.deliveredIds)
                }
                if original.isOpen, !message.viewerIds.contains(userId) {
                    message.viewerIds.append(userId)
                    message.viewsCount += 1
                }
                guard message != page.items[index] else { continue }
                message.updatedAt = now
                try await transaction.update(message)
                page.items[index] = message
            }
            var dialog = original
            try await refreshLastMessageStatus(of: &dialog, in: transaction)
            try await save(&dialog, original: original, now: now, in: transaction)
            return page
        }
    }

    public static let previewMessages = 20

    /// The preview of a dialog the user may not read but may preview; nil for one they may read
    /// (listed as usual), and the same refusal as for no dialog otherwise.
    private func previewPage(of dialogId: ObjectId, for userId: Int, applicationId: Int) async throws
        -> ListPage<Message>?
    {
        try await store.read(applicationId: applicationId) { transaction in
            guard let dialog = try await transaction.dialog(dialogId) else {
                throw ChatError.notFound("Dialog not found")
            }
            if DialogActor.user(userId).mayRead(dialog) { return nil }
            guard dialog.allowsPreview else { throw ChatError.notFound("Dialog not found") }
            let newest = ListQuery(
                sort: ListSort(field: .dateSent, direction: .descending), limit: Self.previewMessages)
            let page = try await transaction.messages(in: dialogId, visibleTo: userId, query: newest)
            return ListPage(
                totalEntries: page.items.count, skip: 0, limit: Self.previewMessages, items: page.items.reversed())
        }
    }

    /// `GET /chat/Message/unread`: the user's unread counts of these dialogs, or of all theirs,
    /// counted in one grouped query.
    public func unreadCounts(of dialogIds: [ObjectId]?, userId: Int, applicationId: Int) async throws
        -> [(ObjectId, Int)]
    {
        try await store.read(applicationId: applicationId) { transaction in
            var ids = [ObjectId]()
            if let dialogIds {
                for id in dialogIds { ids.append(try await visibleDialog(id, to: .user(userId), in: transaction).id) }
            } else {
                var query = ListQuery(sort: ListSort(field: .id, direction: .ascending))
                while true {
                    let page = try await transaction.dialogs(of: userId, query: query)
                    ids += page.items.map(\.id)
                    guard page.items.count == query.limit else { break }
                    query.skip += query.limit
                }
            }
            let counts = try await transaction.unreadCounts(in: ids, for: userId)
            return ids.map { ($0, counts[$0] ?? 0) }
        }
    }

    /// `PUT /chat/Message/{id}/reactions`: adds and removes the user's reactions.
    public func react(to id: ObjectId, add: String?, remove: String?, userId: Int, applicationId: Int) async throws {
        try await store.write(applicationId: applicationId) { transaction in
            var dialogs = [ObjectId: Dialog]()
            let original = try await visibleMessage(id, to: userId, dialogs: &dialogs, in: transaction)
            var message = original
            if let remove, let index = message.reactions.firstIndex(where: { $0.emoji == remove }) {
                message.reactions[index].userIds.removeAll { $0 == userId }
                if message.reactions[index].userIds.isEmpty { message.reactions.remove(at: index) }
            }
            if let add {
                if let index = message.reactions.firstIndex(where: { $0.emoji == add }) {
                    if !message.reactions[index].userIds.contains(userId) {
                        message.reactions[index].userIds.append(userId)
                    }
                } else {
                    message.reactions.append(Reaction(emoji: add, userIds: [userId]))
                }
            }
            guard message != original else { return }
            message.updatedAt = clock()
            try await transaction.update(message)
        }
    }

    /// `GET /chat/Message/{id}/reactions`.
    public func reactions(of id: ObjectId, userId: Int, applicationId: Int) async throws -> [Reaction] {
        try await store.read(applicationId: applicationId) { transaction in
            var dialogs = [ObjectId: Dialog]()
            return try await visibleMessage(id, to: userId, dialogs: &dialogs, in: transaction).reactions
        }
    }

    /// The message if the user may see it (in a dialog they may read, and not deleted for them),
    /// or a refusal that looks the same as for no message at all.
    func visibleMessage(
        _ id: ObjectId, to userId: Int, dialogs: inout [ObjectId: Dialog], in transaction: ChatTransaction
    ) async throws -> Message {
        guard let message = try await findVisibleMessage(id, to: userId, dialogs: &dialogs, in: transaction) else {
            throw ChatError.notFound("Message not found: \(id)")
        }
        return message
    }

    /// The message if the user may see it, or nil. Dialogs looked up on the way are kept in `dialogs`.
    func findVisibleMessage(
        _ id: ObjectId, to userId: Int, dialogs: inout [ObjectId: Dialog], in transaction: ChatTransaction
    ) async throws -> Message? {
        guard let message = try await transaction.message(id), !message.deletedForIds.contains(userId) else {
            return nil
        }
        if dialogs[message.chatDialogId] == nil {
            guard let dialog = try await transaction.dialog(message.chatDialogId), dialog.mayRead(userId) else {
                return nil
            }
            dialogs[dialog.id] = dialog
        }
        return message
    }
}
