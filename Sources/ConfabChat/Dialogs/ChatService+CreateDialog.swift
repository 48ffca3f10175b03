import ConfabCore
import ConfabStore

extension ChatService {
    /// Creates a dialog with its type's rules, or returns the private dialog the two users have
    /// already (`created` false), back in the creator's list if they had deleted it.
    public func createDialog(_ input: NewDialog, ownerId: Int, applicationId: Int, byAdministrationKey: Bool)
        async throws -> (dialog: Dialog, created: Bool)
    {
        if input.type == .broadcast, !byAdministrationKey {
            throw ChatError.forbidden("Forbidden. Broadcast dialogs are created with the administration key")
        }
        return try await store.write(applicationId: applicationId) { transaction in
            let now = clock()
            var (members, errors) = DialogMembers.planned(for: input, ownerId: ownerId)
            let existing = try await transaction.existingUserIds(members.everyone)
            let unknown = members.everyone.filter { !existing.contains($0) }
            if !unknown.isEmpty {
                let name = unknown.contains(ownerId) && byAdministrationKey ? "user_id" : "occupants_ids"
                errors.add(name, "names users that do not exist: \(Self.list(unknown))")
            }
            guard errors.isEmpty else { throw ChatError.invalid(errors) }

            if input.type == .privateChat,
                var found = try await transaction.privateDialog(
                    between: members.occupants[0], and: members.occupants[1])
            {
                let original = found
                found.deletedIds.removeAll { $0 == ownerId }
                try await save(&found, original: original, now: now, in: transaction)
                return (found, false)
            }
            let dialog = newDialog(input, members: members, ownerId: ownerId, applicationId: applicationId, now: now)
            try await transaction.insert(dialog)
            return (dialog, true)
        }
    }

    private func newDialog(_ input: NewDialog, members: DialogMembers, ownerId: Int, applicationId: Int, now: Int64)
        -> Dialog
    {
        let id = newId(at: now)
        var dialog = Dialog(
            id: id, userId: ownerId, type: input.type, occupantsIds: members.occupants, adminsIds: members.admins,
            subscribersIds: members.subscribers, createdAt: now, updatedAt: now)
        // ConnectyCube ignores a private dialog's name, photo and preview, and keeps its
        // description and extensions.
        dialog.description = input.description
        dialog.extensions = input.extensions
        if input.type != .privateChat {
            dialog.name = input.name
            dialog.photo = input.photo
            dialog.allowsPreview = input.allowsPreview
            dialog.xmppRoomJid = Dialog.roomJid(applicationId: applicationId, dialogId: id, host: chatHost)
        }
        dialog.occupantsCount = dialog.countedOccupants
        return dialog
    }
}

/// Who a new dialog starts with, by its type's rules.
private struct DialogMembers {
    var occupants: [Int] = []
    var subscribers: [Int] = []
    var admins: [Int] = []

    /// Everyone named, each once: all must be users of the application.
    var everyone: [Int] = []

    /// The members `input` asks for, and what breaks the rules of its type.
    static func planned(for input: NewDialog, ownerId: Int) -> (DialogMembers, ParameterErrors) {
        var members = DialogMembers()
        var errors = ParameterErrors()
        let others = input.occupantsIds.filter { $0 != ownerId }
        switch input.type {
        case .privateChat:
            if others.count != 1 {
                errors.add("occupants_ids", "must name exactly one other user for a private dialog")
            }
            if !input.adminsIds.isEmpty { errors.add("admins_ids", "a private dialog has no admins") }
            members.occupants = [ownerId] + others
        case .group:
            if others.isEmpty {
                errors.add("occupants_ids", "must name at least one other user for a group dialog")
            }
            members.occupants = [ownerId] + others
        case .publicGroup, .broadcast:
            if !others.isEmpty {
                errors.add("occupants_ids", "stays empty in public and broadcast dialogs: users subscribe")
            }
            members.subscribers = [ownerId]
        }
        if input.type != .privateChat, (input.name ?? "").isEmpty {
            errors.add("name", "is required for this type of dialog")
        }
        members.admins = input.adminsIds.filter { $0 != ownerId }
        if input.type == .group, let stranger = members.admins.first(where: { !members.occupants.contains($0) }) {
            errors.add("admins_ids", "must be occupants of the dialog; \(stranger) is not")
        }
        members.everyone = Array(Set([ownerId] + members.occupants + members.admins)).sorted()
        return (members, errors)
    }
}
