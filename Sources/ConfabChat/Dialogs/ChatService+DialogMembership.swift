import ConfabCore
import ConfabStore

extension ChatService {
    /// Turns the user's notifications of a dialog on or off (`silent_ids`); returns whether they are on.
    public func setNotifications(_ id: ObjectId, enabled: Bool, for userId: Int, applicationId: Int) async throws
        -> Bool
    {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: .user(userId), in: transaction)
            guard original.isMember(userId) else { throw ChatError.notFound("Dialog not found") }
            var dialog = original
            if enabled {
                dialog.silentIds.removeAll { $0 == userId }
            } else if !dialog.silentIds.contains(userId) {
                dialog.silentIds.append(userId)
            }
            try await save(&dialog, original: original, now: clock(), in: transaction)
            return enabled
        }
    }

    /// Whether the user's notifications of a dialog are on.
    public func notifications(_ id: ObjectId, for userId: Int, applicationId: Int) async throws -> Bool {
        try await store.read(applicationId: applicationId) { transaction in
            let dialog = try await visibleDialog(id, to: .user(userId), in: transaction)
            guard dialog.isMember(userId) else { throw ChatError.notFound("Dialog not found") }
            return !dialog.silentIds.contains(userId)
        }
    }

    /// Joins (or leaves) a public or broadcast dialog: `occupants_count` follows.
    public func subscribe(_ id: ObjectId, _ joining: Bool, userId: Int, applicationId: Int) async throws -> Dialog {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: .user(userId), in: transaction)
            guard original.isOpen else {
                throw ChatError.invalid("dialog_id", "only public and broadcast dialogs are subscribed to")
            }
            var dialog = original
            if joining {
                if !dialog.subscribersIds.contains(userId) { dialog.subscribersIds.append(userId) }
                dialog.deletedIds.removeAll { $0 == userId }
            } else {
                guard userId != dialog.userId else {
                    throw ChatError.invalid("dialog_id", "the owner stays subscribed")
                }
                dialog.subscribersIds.removeAll { $0 == userId }
                dialog.silentIds.removeAll { $0 == userId }
                dialog.deletedIds.removeAll { $0 == userId }
            }
            try await refreshLastMessageStatus(of: &dialog, in: transaction)
            try await save(&dialog, original: original, now: clock(), in: transaction)
            return dialog
        }
    }

    /// `DELETE /chat/Dialog/{ids}`: for the caller only (`deleted_ids`), or with `force` for
    /// everyone, messages included (owner only).
    public func deleteDialogs(_ ids: [ObjectId], force: Bool, userId: Int, applicationId: Int) async throws
        -> DeletionOutcome
    {
        try await store.write(applicationId: applicationId) { transaction in
            var outcome = DeletionOutcome()
            let now = clock()
            for id in ids {
                guard var dialog = try await transaction.dialog(id), dialog.isMember(userId) else {
                    outcome.notFound.append(id)
                    continue
                }
                if force {
                    guard dialog.userId == userId else {
                        outcome.wrongPermissions.append(id)
                        continue
                    }
                    try await transaction.deleteDialog(id)
                } else if !dialog.deletedIds.contains(userId) {
                    let original = dialog
                    dialog.deletedIds.append(userId)
                    try await save(&dialog, original: original, now: now, in: transaction)
                }
                outcome.deleted.append(id)
            }
            return outcome
        }
    }

    /// `DELETE /chat/Dialog/clearHistory/{id}`: every message of the dialog deleted for the
    /// caller (`deleted_for_ids`), or with `force` for everyone (owner or admins); the dialog stays.
    public func clearHistory(of dialogId: ObjectId, force: Bool, userId: Int, applicationId: Int) async throws {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(dialogId, to: .user(userId), in: transaction)
            var dialog = original
            let now = clock()
            if force {
                guard dialog.isAdministrator(userId) else {
                    throw ChatError.forbidden("Forbidden. Only the owner and admins clear the history for everyone")
                }
                try await transaction.deleteMessages(inDialog: dialogId)
                dialog.pinnedMessagesIds = []
                try await refreshLastMessage(of: &dialog, in: transaction)
            } else {
                for message in try await transaction.messages(in: dialogId, notDeletedFor: userId) {
                    var changed = message
                    changed.deletedForIds.append(userId)
                    changed.updatedAt = now
                    try await transaction.update(changed)
                }
            }
            try await save(&dialog, original: original, now: now, in: transaction)
        }
    }
}
