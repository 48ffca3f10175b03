import ConfabCore
import ConfabStore

extension ChatService {
    /// `PUT /chat/Dialog/{id}` and the dialog part of `PUT /admin/chat/{id}`: each kind of change
    /// is checked and applied in turn, and nothing is stored unless all of them are allowed.
    public func updateDialog(_ id: ObjectId, _ changes: DialogChanges, by actor: DialogActor, applicationId: Int)
        async throws -> Dialog
    {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: actor, in: transaction)
            var dialog = original
            var errors = ParameterErrors()
            try Self.apply(changes.fields, to: &dialog, by: actor, errors: &errors)
            Self.checkOccupantChanges(changes, of: dialog, errors: &errors)
            guard errors.isEmpty else { throw ChatError.invalid(errors) }

            try await addOccupants(changes.pushOccupants, to: &dialog, by: actor, in: transaction)
            try Self.removeOccupants(changes.pullOccupants, from: &dialog, by: actor)
            try await pin(changes.pushPinned, unpin: changes.pullPinned, in: &dialog, by: actor, in: transaction)
            if let mute = changes.mute { try Self.apply(mute, to: &dialog) }
            try await refreshLastMessageStatus(of: &dialog, in: transaction)
            try await save(&dialog, original: original, now: clock(), in: transaction)
            return dialog
        }
    }

    /// New `name`, `photo`, `description`, extensions and permissions: for the owner and admins.
    /// ConnectyCube ignores a private dialog's name, photo and preview; it has no admins, so either
    /// of its two changes the description and extensions.
    private static func apply(
        _ fields: DialogFields, to dialog: inout Dialog, by actor: DialogActor, errors: inout ParameterErrors
    ) throws {
        var fields = fields
        if dialog.type == .privateChat { (fields.name, fields.photo, fields.allowsPreview) = (nil, nil, nil) }
        guard !fields.isEmpty else { return }
        guard actor.administers(dialog) || (dialog.type == .privateChat && actor.isOccupant(dialog)) else {
            throw ChatError.forbidden("Forbidden. Only the owner and admins change the dialog")
        }
        if let name = fields.name {
            if name.isEmpty { errors.add("name", "must not be empty") } else { dialog.name = name }
        }
        if let photo = fields.photo { dialog.photo = photo.isEmpty ? nil : photo }
        if let description = fields.description { dialog.description = description.isEmpty ? nil : description }
        for (name, value) in fields.extensions { dialog.extensions[name] = value.isEmpty ? nil : value }
        if dialog.extensions.count > Dialog.maximumExtensions {
            errors.add(
                "extensions",
                "a dialog holds at most \(Dialog.maximumExtensions) fields; this one would hold "
                    + dialog.extensions.keys.sorted().joined(separator: ", ") + " (null removes one)")
        }
        if let allowsPreview = fields.allowsPreview { dialog.allowsPreview = allowsPreview }
    }

    /// Only group dialogs change occupants: a private one keeps its two, open ones are subscribed to.
    private static func checkOccupantChanges(_ changes: DialogChanges, of dialog: Dialog, errors: inout ParameterErrors)
    {
        guard !changes.pushOccupants.isEmpty || !changes.pullOccupants.isEmpty, dialog.type != .group else { return }
        let key = changes.pushOccupants.isEmpty ? "pull_all[occupants_ids]" : "push_all[occupants_ids]"
        errors.add(
            key,
            dialog.type == .privateChat
                ? "a private dialog keeps its two occupants" : "users subscribe to public and broadcast dialogs")
    }

    /// `push_all[occupants_ids]`: any occupant adds users of the application.
    private func addOccupants(
        _ userIds: [Int], to dialog: inout Dialog, by actor: DialogActor, in transaction: ChatTransaction
    ) async throws {
        guard !userIds.isEmpty else { return }
        guard actor.isOccupant(dialog) else { throw ChatError.forbidden("Forbidden. Only occupants add occupants") }
        let added = userIds.filter { !dialog.occupantsIds.contains($0) }
        let existing = try await transaction.existingUserIds(added)
        let unknown = added.filter { !existing.contains($0) }
        guard unknown.isEmpty else {
            throw ChatError.invalid("push_all[occupants_ids]", "names users that do not exist: \(Self.list(unknown))")
        }
        dialog.occupantsIds += added
    }

    /// `pull_all[occupants_ids]`: an occupant leaves; the owner also removes others, never itself.
    private static func removeOccupants(_ userIds: [Int], from dialog: inout Dialog, by actor: DialogActor) throws {
        guard !userIds.isEmpty else { return }
        let others = userIds.filter { $0 != actor.userId }
        if !others.isEmpty, !actor.owns(dialog) {
            throw ChatError.forbidden("Forbidden. Only the owner removes other occupants")
        }
        if userIds.contains(dialog.userId) {
            throw ChatError.invalid(
                "pull_all[occupants_ids]", "cannot remove the owner; the owner deletes the dialog with force=1 instead")
        }
        let leaving = Set(userIds)
        dialog.occupantsIds.removeAll(where: leaving.contains)
        dialog.adminsIds.removeAll(where: leaving.contains)
        dialog.silentIds.removeAll(where: leaving.contains)
        dialog.deletedIds.removeAll(where: leaving.contains)
    }

    /// `push_all`/`pull_all[pinned_messages_ids]`: the owner and admins pin the dialog's own messages.
    private func pin(
        _ pinned: [ObjectId], unpin unpinned: [ObjectId], in dialog: inout Dialog, by actor: DialogActor,
        in transaction: ChatTransaction
    ) async throws {
        guard !pinned.isEmpty || !unpinned.isEmpty else { return }
        guard actor.administers(dialog) else {
            throw ChatError.forbidden("Forbidden. Only the owner and admins pin messages")
        }
        for messageId in pinned where !dialog.pinnedMessagesIds.contains(messageId) {
            guard let message = try await transaction.message(messageId), message.chatDialogId == dialog.id else {
                throw ChatError.invalid("push_all[pinned_messages_ids]", "\(messageId) is not a message of this dialog")
            }
            dialog.pinnedMessagesIds.append(message.id)
        }
        dialog.pinnedMessagesIds.removeAll(where: unpinned.contains)
    }

    /// The administration key mutes or unmutes one member (`silent_ids`).
    private static func apply(_ mute: (userId: Int, muted: Bool), to dialog: inout Dialog) throws {
        guard dialog.isMember(mute.userId) else {
            throw ChatError.invalid("user_id", "is not a member of this dialog")
        }
        dialog.silentIds.removeAll { $0 == mute.userId }
        if mute.muted { dialog.silentIds.append(mute.userId) }
    }
}
