import ConfabCore
import ConfabStore

extension ChatService {
    /// `PUT /chat/Message/{ids}`: read and delivered receipts, and edits by the sender. All the
    /// messages must be visible to the user, or nothing changes.
    public func updateMessages(
        _ selection: MessageSelection, _ changes: MessageChanges, userId: Int, applicationId: Int
    ) async throws {
        try await store.write(applicationId: applicationId) { transaction in
            var dialogs = [ObjectId: Dialog]()
            let messages = try await selected(selection, changes, userId: userId, dialogs: &dialogs, in: transaction)
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

    /// The messages `selection` names, each once; their dialogs are kept in `dialogs`.
    private func selected(
        _ selection: MessageSelection, _ changes: MessageChanges, userId: Int, dialogs: inout [ObjectId: Dialog],
        in transaction: ChatTransaction
    ) async throws -> [Message] {
        var messages = [Message]()
        switch selection {
        case .ids(let ids):
            for id in ids {
                let message = try await visibleMessage(id, to: userId, dialogs: &dialogs, in: transaction)
                if changes.text != nil, message.senderId != userId {
                    throw ChatError.forbidden("Forbidden. Only the sender edits a message")
                }
                messages.append(message)
            }
        case .dialog(let id):
            guard changes.text == nil else { throw ChatError.invalid("message", "edits name the message by id") }
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
        return messages
    }

    /// `DELETE /chat/Message/{ids}`: for the caller only (`deleted_for_ids`), or with `force` for
    /// everyone (by its sender or the dialog's owner or admins), `last_message*` then following
    /// the newest message that remains.
    public func deleteMessages(_ ids: [ObjectId], force: Bool, userId: Int, applicationId: Int) async throws
        -> DeletionOutcome
    {
        try await store.write(applicationId: applicationId) { transaction in
            var outcome = DeletionOutcome()
            var dialogs = [ObjectId: Dialog]()
            var originals = [ObjectId: Dialog]()
            let now = clock()
            for id in ids {
                guard let message = try await findVisibleMessage(id, to: userId, dialogs: &dialogs, in: transaction),
                    let dialog = dialogs[message.chatDialogId]
                else {
                    outcome.notFound.append(id)
                    continue
                }
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
}

extension Message {
    /// Adds `userId` to a receipt list once.
    mutating func add(_ userId: Int, to list: WritableKeyPath<Message, [Int]>) {
        if !self[keyPath: list].contains(userId) { self[keyPath: list].append(userId) }
    }
}
