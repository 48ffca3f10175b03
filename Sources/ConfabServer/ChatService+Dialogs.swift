import ConfabCore
import ConfabStore

extension ChatService {
    /// Creates a dialog with its type's rules, or returns the private dialog the two users have
    /// already (`created` false), back in the creator's list if they had deleted it.
    func createDialog(_ input: NewDialog, ownerId: Int, applicationId: Int, byAdministrationKey: Bool)
        async throws -> (dialog: Dialog, created: Bool)
    {
        if input.type == .broadcast, !byAdministrationKey {
            throw APIError.forbidden("Forbidden. Broadcast dialogs are created with the administration key")
        }
        return try await store.write(applicationId: applicationId) { transaction in
            let now = clock()
            var errors = ParameterErrors()
            let others = input.occupantsIds.filter { $0 != ownerId }
            var occupants: [Int] = []
            var subscribers: [Int] = []
            switch input.type {
            case .privateChat:
                if others.count != 1 {
                    errors.add("occupants_ids", "must name exactly one other user for a private dialog")
                }
                if !input.adminsIds.isEmpty { errors.add("admins_ids", "a private dialog has no admins") }
                occupants = [ownerId] + others
            case .group:
                if others.isEmpty {
                    errors.add("occupants_ids", "must name at least one other user for a group dialog")
                }
                occupants = [ownerId] + others
            case .publicGroup, .broadcast:
                if !others.isEmpty {
                    errors.add("occupants_ids", "stays empty in public and broadcast dialogs: users subscribe")
                }
                subscribers = [ownerId]
            }
            if input.type != .privateChat, (input.name ?? "").isEmpty {
                errors.add("name", "is required for this type of dialog")
            }
            let admins = input.adminsIds.filter { $0 != ownerId }
            if input.type == .group, let stranger = admins.first(where: { !occupants.contains($0) }) {
                errors.add("admins_ids", "must be occupants of the dialog; \(stranger) is not")
            }
            let everyone = Array(Set([ownerId] + occupants + admins)).sorted()
            let existing = try await transaction.existingUserIds(everyone)
            let unknown = everyone.filter { !existing.contains($0) }
            if !unknown.isEmpty {
                let name = unknown.contains(ownerId) && byAdministrationKey ? "user_id" : "occupants_ids"
                errors.add(name, "names users that do not exist: \(unknown.map(String.init).joined(separator: ", "))")
            }
            guard errors.isEmpty else { throw errors }

            if input.type == .privateChat,
                var found = try await transaction.privateDialog(between: occupants[0], and: occupants[1])
            {
                let original = found
                found.deletedIds.removeAll { $0 == ownerId }
                try await save(&found, original: original, now: now, in: transaction)
                return (found, false)
            }
            let id = newId(at: now)
            var dialog = Dialog(
                id: id, userId: ownerId, type: input.type, occupantsIds: occupants, adminsIds: admins,
                subscribersIds: subscribers, createdAt: now, updatedAt: now)
            if input.type != .privateChat {
                dialog.name = input.name
                dialog.photo = input.photo
                dialog.description = input.description
                dialog.xmppRoomJid = Dialog.roomJid(applicationId: applicationId, dialogId: id, host: chatHost)
            }
            dialog.occupantsCount = dialog.countedOccupants
            try await transaction.insert(dialog)
            return (dialog, true)
        }
    }

    /// The dialogs the user sees, with their unread counts.
    func dialogs(of userId: Int, applicationId: Int, query: ListQuery) async throws -> ListPage<DialogView> {
        try await store.read(applicationId: applicationId) { transaction in
            let page = try await transaction.dialogs(of: userId, query: query)
            let views = try await views(of: page.items, for: userId, in: transaction)
            return ListPage(totalEntries: page.totalEntries, skip: page.skip, limit: page.limit, items: views)
        }
    }

    /// `PUT /chat/Dialog/{id}` and the dialog part of `PUT /admin/chat/{id}`.
    func updateDialog(_ id: ObjectId, _ changes: DialogChanges, by actor: DialogActor, applicationId: Int)
        async throws -> Dialog
    {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: actor, in: transaction)
            var dialog = original
            var errors = ParameterErrors()
            if dialog.type != .privateChat, !changes.fields.isEmpty {
                guard actor.administers(dialog) else {
                    throw APIError.forbidden("Forbidden. Only the owner and admins change the dialog")
                }
                if let name = changes.fields.name {
                    if name.isEmpty { errors.add("name", "must not be empty") } else { dialog.name = name }
                }
                if let photo = changes.fields.photo { dialog.photo = photo.isEmpty ? nil : photo }
                if let description = changes.fields.description {
                    dialog.description = description.isEmpty ? nil : description
                }
            }
            if !changes.pushOccupants.isEmpty || !changes.pullOccupants.isEmpty, dialog.type != .group {
                let key = changes.pushOccupants.isEmpty ? "pull_all[occupants_ids]" : "push_all[occupants_ids]"
                errors.add(
                    key,
                    dialog.type == .privateChat
                        ? "a private dialog keeps its two occupants" : "users subscribe to public and broadcast dialogs"
                )
            }
            guard errors.isEmpty else { throw errors }

            if !changes.pushOccupants.isEmpty {
                guard actor.isOccupant(dialog) else {
                    throw APIError.forbidden("Forbidden. Only occupants add occupants")
                }
                let added = changes.pushOccupants.filter { !dialog.occupantsIds.contains($0) }
                let existing = try await transaction.existingUserIds(added)
                let unknown = added.filter { !existing.contains($0) }
                guard unknown.isEmpty else {
                    throw ParameterErrors(
                        parameter: "push_all[occupants_ids]",
                        message: "names users that do not exist: \(unknown.map(String.init).joined(separator: ", "))")
                }
                dialog.occupantsIds += added
            }
            if !changes.pullOccupants.isEmpty {
                let others = changes.pullOccupants.filter { $0 != actor.userId }
                if !others.isEmpty, !actor.owns(dialog) {
                    throw APIError.forbidden("Forbidden. Only the owner removes other occupants")
                }
                if changes.pullOccupants.contains(dialog.userId) {
                    throw ParameterErrors(
                        parameter: "pull_all[occupants_ids]",
                        message: "cannot remove the owner; the owner deletes the dialog with force=1 instead")
                }
                let leaving = Set(changes.pullOccupants)
                dialog.occupantsIds.removeAll(where: leaving.contains)
                dialog.adminsIds.removeAll(where: leaving.contains)
                dialog.silentIds.removeAll(where: leaving.contains)
                dialog.deletedIds.removeAll(where: leaving.contains)
            }
            if !changes.pushPinned.isEmpty || !changes.pullPinned.isEmpty {
                guard actor.administers(dialog) else {
                    throw APIError.forbidden("Forbidden. Only the owner and admins pin messages")
                }
                for messageId in changes.pushPinned where !dialog.pinnedMessagesIds.contains(messageId) {
                    guard let message = try await transaction.message(messageId), message.chatDialogId == dialog.id
                    else {
                        throw ParameterErrors(
                            parameter: "push_all[pinned_messages_ids]",
                            message: "\(messageId) is not a message of this dialog")
                    }
                    dialog.pinnedMessagesIds.append(message.id)
                }
                dialog.pinnedMessagesIds.removeAll(where: changes.pullPinned.contains)
            }
            if let mute = changes.mute {
                guard dialog.isMember(mute.userId) else {
                    throw ParameterErrors(parameter: "user_id", message: "is not a member of this dialog")
                }
                dialog.silentIds.removeAll { $0 == mute.userId }
                if mute.muted { dialog.silentIds.append(mute.userId) }
            }
            try await refreshLastMessageStatus(of: &dialog, in: transaction)
            try await save(&dialog, original: original, now: clock(), in: transaction)
            return dialog
        }
    }

    /// `PUT /chat/Dialog/{id}/admins`: the owner names up to five admins among the members.
    func updateAdmins(_ id: ObjectId, _ changes: AdminChanges, by actor: DialogActor, applicationId: Int)
        async throws -> Dialog
    {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: actor, in: transaction)
            var dialog = original
            guard dialog.type != .privateChat else {
                throw ParameterErrors(parameter: "push_all[admins_ids]", message: "a private dialog has no admins")
            }
            guard actor.owns(dialog) else { throw APIError.forbidden("Forbidden. Only the owner names admins") }
            let added = changes.push.filter { $0 != dialog.userId && !dialog.adminsIds.contains($0) }
            if dialog.type == .group, let stranger = added.first(where: { !dialog.occupantsIds.contains($0) }) {
                throw ParameterErrors(
                    parameter: "push_all[admins_ids]", message: "must be occupants of the dialog; \(stranger) is not")
            }
            let existing = try await transaction.existingUserIds(added)
            if let unknown = added.first(where: { !existing.contains($0) }) {
                throw ParameterErrors(parameter: "push_all[admins_ids]", message: "\(unknown) is not a user")
            }
            dialog.adminsIds += added
            dialog.adminsIds.removeAll(where: changes.pull.contains)
            guard dialog.adminsIds.count <= ChatLimits.adminsPerDialog else {
                throw ParameterErrors(
                    parameter: "push_all[admins_ids]",
                    message: "a dialog has at most \(ChatLimits.adminsPerDialog) admins besides its owner")
            }
            try await save(&dialog, original: original, now: clock(), in: transaction)
            return dialog
        }
    }

    /// `DELETE /chat/Dialog/{ids}`: for the caller only (`deleted_ids`), or with `force` for
    /// everyone, messages included (owner only).
    func deleteDialogs(_ ids: [ObjectId], force: Bool, userId: Int, applicationId: Int) async throws
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

    /// Turns the user's notifications of a dialog on or off (`silent_ids`); returns whether they are on.
    func setNotifications(_ id: ObjectId, enabled: Bool, for userId: Int, applicationId: Int) async throws -> Bool {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: .user(userId), in: transaction)
            guard original.isMember(userId) else { throw APIError.notFound("Dialog not found") }
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
    func notifications(_ id: ObjectId, for userId: Int, applicationId: Int) async throws -> Bool {
        try await store.read(applicationId: applicationId) { transaction in
            let dialog = try await visibleDialog(id, to: .user(userId), in: transaction)
            guard dialog.isMember(userId) else { throw APIError.notFound("Dialog not found") }
            return !dialog.silentIds.contains(userId)
        }
    }

    /// Joins (or leaves) a public or broadcast dialog: `occupants_count` follows.
    func subscribe(_ id: ObjectId, _ joining: Bool, userId: Int, applicationId: Int) async throws -> Dialog {
        try await store.write(applicationId: applicationId) { transaction in
            let original = try await visibleDialog(id, to: .user(userId), in: transaction)
            guard original.isOpen else {
                throw ParameterErrors(
                    parameter: "dialog_id", message: "only public and broadcast dialogs are subscribed to")
            }
            var dialog = original
            if joining {
                if !dialog.subscribersIds.contains(userId) { dialog.subscribersIds.append(userId) }
                dialog.deletedIds.removeAll { $0 == userId }
            } else {
                guard userId != dialog.userId else {
                    throw ParameterErrors(parameter: "dialog_id", message: "the owner stays subscribed")
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

    /// The user's view of one dialog.
    func view(of dialog: Dialog, for userId: Int, applicationId: Int) async throws -> DialogView {
        try await store.read(applicationId: applicationId) { transaction in
            try await views(of: [dialog], for: userId, in: transaction)[0]
        }
    }
}
