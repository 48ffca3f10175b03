import ConfabCore
import ConfabStore

extension ChatService {
    /// `POST /chat/Message`: stores the message, creating the private dialog on a first
    /// `recipient_id` message, and moves the dialog's `last_message*` and `updated_at`.
    func createMessage(_ input: NewMessage, senderId: Int, applicationId: Int) async throws -> Message {
        try await store.write(applicationId: applicationId) { transaction in
            let now = clock()
            var dialog: Dialog
            var original: Dialog?
            switch input.target {
            case .dialog(let id):
                dialog = try await visibleDialog(id, to: .user(senderId), in: transaction)
                guard dialog.mayPost(senderId) else {
                    throw APIError.forbidden("Forbidden. Only the owner and admins post to a broadcast dialog")
                }
                original = dialog
            case .recipient(let recipientId):
                guard recipientId != senderId else {
                    throw ParameterErrors(parameter: "recipient_id", message: "must be another user")
                }
                guard try await transaction.existingUserIds([recipientId]).contains(recipientId) else {
                    throw ParameterErrors(parameter: "recipient_id", message: "is not a user of this application")
                }
                if let found = try await transaction.privateDialog(between: senderId, and: recipientId) {
                    dialog = found
                    original = found
                } else {
                    dialog = Dialog(
                        id: newId(at: now), userId: senderId, type: .privateChat,
                        occupantsIds: [senderId, recipientId],
                        occupantsCount: 2, createdAt: now, updatedAt: now)
                }
            }
            let message = Message(
                id: newId(at: now), chatDialogId: dialog.id, text: input.text, dateSent: input.dateSent ?? now,
                senderId: senderId,
                recipientId: dialog.type == .privateChat ? dialog.occupantsIds.first { $0 != senderId } ?? 0 : 0,
                readIds: [senderId], deliveredIds: [senderId], attachments: input.attachments,
                customFields: input.customFields, createdAt: now, updatedAt: now)
            try await transaction.insert(message)
            if let last = dialog.lastMessage, (last.dateSent, last.id) > (message.dateSent, message.id) {
                // An older date_sent than the last message's: the dialog's summary stays.
            } else {
                dialog.lastMessage = LastMessage(summarizing: message, in: dialog)
            }
            dialog.deletedIds.removeAll { $0 == senderId }
            if let original {
                dialog.updatedAt = now
                try await save(&dialog, original: original, now: now, in: transaction)
            } else {
                try await transaction.insert(dialog)
            }
            return message
        }
    }

    /// `GET /chat/Message`: a page of the dialog's messages as the user may see them. Listing
    /// marks others' messages read (and delivered) unless `markAsRead` is false, and counts a
    /// view once per user in public and broadcast dialogs.
    func messages(in dialogId: ObjectId, for userId: Int, query: ListQuery, markAsRead: Bool, applicationId: Int)
        async throws -> ListPage<Message>
    {
        try await store.write(applicationId: applicationId) { transaction in
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

    /// Which messages `PUT /chat/Message` changes.
    enum MessageSelection: Sendable {
        case ids([ObjectId])
        /// Every message of the dialog (receipts only).
        case dialog(ObjectId)
    }

    /// `PUT /chat/Message/{ids}`: read and delivered receipts, and edits by the sender. All the
    /// messages must be visible to the user, or nothing changes.
    func updateMessages(_ selection: MessageSelection, _ changes: MessageChanges, userId: Int, applicationId: Int)
        async throws
    {
        try await store.write(applicationId: applicationId) { transaction in
            var dialogs = [ObjectId: Dialog]()
            var messages = [Message]()
            switch selection {
            case .ids(let ids):
                for id in ids {
                    let message = try await visibleMessage(id, to: userId, dialogs: &dialogs, in: transaction)
                    if changes.text != nil, message.senderId != userId {
                        throw APIError.forbidden("Forbidden. Only the sender edits a message")
                    }
                    messages.append(message)
                }
            case .dialog(let id):
                guard changes.text == nil else {
                    throw ParameterErrors(parameter: "message", message: "edits name the message by id")
                }
                dialogs[id] = try await visibleDialog(id, to: .user(userId), in: transaction)
                var seen = Set<ObjectId>()
                for receipt in [changes.read ? MessageReceipt.read : nil, changes.delivered ? .delivered : nil] {
                    guard let receipt else { continue }
                    for message in try await transaction.messagesLacking(receipt: receipt, of: userId, in: id)
                    where seen.insert(message.id).inserted {
                        messages.append(message)
                    }
                }
            }
            let now = clock()
            for original in messages {
                var message = original
                if message.senderId != userId {
                    if changes.read {
                        message.add(userId, to: \.readIds)
                        message.add(userId, to: \.deliveredIds)
                    }
                    if changes.delivered { message.add(userId, to: \.deliveredIds) }
                }
                if let text = changes.text, text != message.text {
                    message.text = text
                    message.editedAt = now
                }
                guard message != original else { continue }
                message.updatedAt = now
                try await transaction.update(message)
            }
            for (_, original) in dialogs {
                var dialog = original
                try await refreshLastMessageStatus(of: &dialog, in: transaction)
                try await save(&dialog, original: original, now: now, in: transaction)
            }
        }
    }

    /// `DELETE /chat/Message/{ids}`: for the caller only (`deleted_for_ids`), or with `force` for
    /// everyone (by its sender or the dialog's owner or admins), `last_message*` then following
    /// the newest message that remains.
    func deleteMessages(_ ids: [ObjectId], force: Bool, userId: Int, applicationId: Int) async throws
        -> DeletionOutcome
    {
        try await store.write(applicationId: applicationId) { transaction in
            var outcome = DeletionOutcome()
            var dialogs = [ObjectId: Dialog]()
            var originals = [ObjectId: Dialog]()
            let now = clock()
            for id in ids {
                // Only "not visible" becomes NotFound; a failing database still fails the request.
                let message: Message
                do {
                    message = try await visibleMessage(id, to: userId, dialogs: &dialogs, in: transaction)
                } catch let error as APIError where error.status == .notFound {
                    outcome.notFound.append(id)
                    continue
                }
                guard let dialog = dialogs[message.chatDialogId] else { continue }
                if force {
                    guard message.senderId == userId || dialog.isAdministrator(userId) else {
                        outcome.wrongPermissions.append(id)
                        continue
                    }
                    try await transaction.deleteMessage(id)
                    if originals[dialog.id] == nil { originals[dialog.id] = dialog }
                    dialogs[dialog.id]?.pinnedMessagesIds.removeAll { $0 == id }
                } else if !message.deletedForIds.contains(userId) {
                    var changed = message
                    changed.deletedForIds.append(userId)
                    changed.updatedAt = now
                    try await transaction.update(changed)
                }
                outcome.deleted.append(id)
            }
            for (id, original) in originals {
                guard var dialog = dialogs[id] else { continue }
                try await refreshLastMessage(of: &dialog, in: transaction)
                dialog.updatedAt = now
                try await save(&dialog, original: original, now: now, in: transaction)
            }
            return outcome
        }
    }

    /// `PUT /chat/Message/{id}/reactions`: adds and removes the user's reactions.
    func react(to id: ObjectId, add: String?, remove: String?, userId: Int, applicationId: Int) async throws {
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
    func reactions(of id: ObjectId, userId: Int, applicationId: Int) async throws -> [Reaction] {
        try await store.read(applicationId: applicationId) { transaction in
            var dialogs = [ObjectId: Dialog]()
            return try await visibleMessage(id, to: userId, dialogs: &dialogs, in: transaction).reactions
        }
    }

    /// `GET /chat/Message/unread`: the user's unread counts of these dialogs, or of all theirs.
    func unreadCounts(of dialogIds: [ObjectId]?, userId: Int, applicationId: Int) async throws -> [(ObjectId, Int)] {
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
            var counts = [(ObjectId, Int)]()
            for id in ids { counts.append((id, try await transaction.unreadCount(in: id, for: userId))) }
            return counts
        }
    }

    /// The message if the user may see it: in a dialog they may read, and not deleted for them.
    /// Dialogs looked up on the way are kept in `dialogs`.
    private func visibleMessage(
        _ id: ObjectId,
        to userId: Int,
        dialogs: inout [ObjectId: Dialog],
        in transaction: ChatTransaction
    ) async throws -> Message {
        guard let message = try await transaction.message(id), !message.deletedForIds.contains(userId) else {
            throw APIError.notFound("Message not found: \(id)")
        }
        if dialogs[message.chatDialogId] == nil {
            guard let dialog = try await transaction.dialog(message.chatDialogId), dialog.mayRead(userId) else {
                throw APIError.notFound("Message not found: \(id)")
            }
            dialogs[dialog.id] = dialog
        }
        return message
    }
}

extension Message {
    /// Adds `userId` to a receipt list once.
    mutating func add(_ userId: Int, to list: WritableKeyPath<Message, [Int]>) {
        if !self[keyPath: list].contains(userId) { self[keyPath: list].append(userId) }
    }
}
