import ConfabCore
import ConfabStore

extension ChatService {
    /// `PUT /chat/Dialog/{id}/admins`: the owner names up to five admins among the members.
    public func updateAdmins(_ id: ObjectId, _ changes: AdminChanges, by actor: DialogActor, applicationId: Int)
        async throws -> Dialog
    {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: actor, in: transaction)
            var dialog = original
            guard dialog.type != .privateChat else {
                throw ChatError.invalid("push_all[admins_ids]", "a private dialog has no admins")
            }
            guard actor.owns(dialog) else { throw ChatError.forbidden("Forbidden. Only the owner names admins") }
            let added = changes.push.filter { $0 != dialog.userId && !dialog.adminsIds.contains($0) }
            if dialog.type == .group, let stranger = added.first(where: { !dialog.occupantsIds.contains($0) }) {
                throw ChatError.invalid("push_all[admins_ids]", "must be occupants of the dialog; \(stranger) is not")
            }
            let existing = try await transaction.existingUserIds(added)
            if let unknown = added.first(where: { !existing.contains($0) }) {
                throw ChatError.invalid("push_all[admins_ids]", "\(unknown) is not a user")
            }
            dialog.adminsIds += added
            dialog.adminsIds.removeAll(where: changes.pull.contains)
            guard dialog.adminsIds.count <= ChatLimits.adminsPerDialog else {
                throw ChatError.invalid(
                    "push_all[admins_ids]",
                    "a dialog has at most \(ChatLimits.adminsPerDialog) admins besides its owner")
            }
            try await save(&dialog, original: original, now: clock(), in: transaction)
            return dialog
        }
    }
}
