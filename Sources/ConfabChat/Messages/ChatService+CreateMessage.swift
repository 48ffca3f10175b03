import ConfabCore
import ConfabStore

extension ChatService {
    /// `POST /chat/Message`: stores the message, creating the private dialog on a first
    /// `recipient_id` message, and moves the dialog's `last_message*` and `updated_at`.
    public func createMessage(_ input: NewMessage, senderId: Int, applicationId: Int) async throws -> Message {
        try await store.write(applicationId: applicationId) { transaction in
            let now = clock()
            let (target, original) = try await dialog(for: input.target, senderId: senderId, now: now, in: transaction)
            var dialog = target
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

    /// The dialog a message goes to, and that dialog as stored: nil for a first private
    /// message, whose dialog is made here and inserted with the message.
    private func dialog(for target: NewMessage.Target, senderId: Int, now: Int64, in transaction: ChatTransaction)
        async throws -> (dialog: Dialog, original: Dialog?)
    {
        switch target {
        case .dialog(let id):
            let dialog = try await visibleDialog(id, to: .user(senderId), in: transaction)
            guard dialog.mayPost(senderId) else {
                throw ChatError.forbidden("Forbidden. Only the owner and admins post to a broadcast dialog")
            }
            return (dialog, dialog)
        case .recipient(let recipientId):
            guard recipientId != senderId else { throw ChatError.invalid("recipient_id", "must be another user") }
            guard try await transaction.existingUserIds([recipientId]).contains(recipientId) else {
                throw ChatError.invalid("recipient_id", "is not a user of this application")
            }
            if let found = try await transaction.privateDialog(between: senderId, and: recipientId) {
                return (found, found)
            }
            let dialog = Dialog(
                id: newId(at: now), userId: senderId, type: .privateChat, occupantsIds: [senderId, recipientId],
                occupantsCount: 2, createdAt: now, updatedAt: now)
            return (dialog, nil)
        }
    }
}
