import ConfabCore
import ConfabStore

/// The chat operations of the REST API. Each one runs in one store transaction: it checks the
/// caller's rights, changes dialogs and messages, and keeps what follows from them consistent
/// (`last_message*`, `updated_at`, `occupants_count`) before anything is committed. A refusal
/// throws before the first write, so it changes nothing.
struct ChatService: Sendable {
    let store: any ChatStore
    let ids: ObjectIdGenerator
    let clock: @Sendable () -> Int64
    /// The host of generated room JIDs.
    let chatHost: String

    func newId(at now: Int64) -> ObjectId {
        ids.next(timestamp: UInt32(truncatingIfNeeded: now))
    }

    /// The dialog if `actor` may see it; otherwise the same 404 as for no dialog at all, so that
    /// other users' (and other applications') dialogs stay unknown.
    func visibleDialog(_ id: ObjectId, to actor: DialogActor, in transaction: ChatTransaction) async throws -> Dialog {
        guard let dialog = try await transaction.dialog(id), actor.mayRead(dialog) else {
            throw APIError.notFound("Dialog not found")
        }
        return dialog
    }

    /// Points `last_message*` at the dialog's newest remaining message, with its status.
    func refreshLastMessage(of dialog: inout Dialog, in transaction: ChatTransaction) async throws {
        dialog.lastMessage = try await transaction.newestMessage(in: dialog.id).map {
            LastMessage(summarizing: $0, in: dialog)
        }
    }

    /// Recomputes the last message's status after its receipts or the members changed.
    func refreshLastMessageStatus(of dialog: inout Dialog, in transaction: ChatTransaction) async throws {
        guard let last = dialog.lastMessage, let message = try await transaction.message(last.id) else { return }
        dialog.lastMessage = LastMessage(summarizing: message, in: dialog)
    }

    /// Stores `dialog` if it differs from `original`, with `updated_at` moved to now.
    func save(_ dialog: inout Dialog, original: Dialog, now: Int64, in transaction: ChatTransaction) async throws {
        dialog.occupantsCount = dialog.countedOccupants
        guard dialog != original else { return }
        dialog.updatedAt = now
        try await transaction.update(dialog)
    }

    /// The user's view of each dialog: whether they muted it and what they have not read.
    func views(of dialogs: [Dialog], for userId: Int, in transaction: ChatTransaction) async throws -> [DialogView] {
        var views = [DialogView]()
        for dialog in dialogs {
            let unread = try await transaction.unreadCount(in: dialog.id, for: userId)
            views.append(DialogView(dialog: dialog, viewerId: userId, unreadMessagesCount: unread))
        }
        return views
    }
}

/// Who asks for a change to a dialog: one of its application's users, or the administration key,
/// which acts with the owner's rights on every dialog.
enum DialogActor: Sendable {
    case user(Int)
    case administrationKey

    var userId: Int? {
        if case .user(let id) = self { id } else { nil }
    }

    func mayRead(_ dialog: Dialog) -> Bool {
        userId.map(dialog.mayRead) ?? true
    }

    func owns(_ dialog: Dialog) -> Bool {
        userId.map { $0 == dialog.userId } ?? true
    }

    func administers(_ dialog: Dialog) -> Bool {
        userId.map(dialog.isAdministrator) ?? true
    }

    func isOccupant(_ dialog: Dialog) -> Bool {
        userId.map(dialog.occupantsIds.contains) ?? true
    }
}
