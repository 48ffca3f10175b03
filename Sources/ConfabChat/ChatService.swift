import ConfabCore
import ConfabStore

/// The chat operations, callable from HTTP and realtime alike. Each one runs in one store
/// transaction: it checks the caller's rights, changes dialogs and messages, and keeps what
/// follows from them consistent (`last_message*`, `updated_at`, `occupants_count`) before
/// anything is committed. A refusal throws a `ChatError` before the first write, so it changes
/// nothing.
public struct ChatService: Sendable {
    let store: any ChatStore
    let ids: ObjectIdGenerator
    let clock: @Sendable () -> Int64
    /// The host of generated room JIDs.
    let chatHost: String

    /// - Parameters:
    ///   - clock: now, in unix seconds.
    ///   - chatHost: the host of generated room JIDs.
    public init(store: any ChatStore, ids: ObjectIdGenerator, clock: @escaping @Sendable () -> Int64, chatHost: String)
    {
        self.store = store
        self.ids = ids
        self.clock = clock
        self.chatHost = chatHost
    }

    func newId(at now: Int64) -> ObjectId {
        ids.next(timestamp: UInt32(truncatingIfNeeded: now))
    }

    /// The dialog if `actor` may see it; otherwise the same refusal as for no dialog at all, so
    /// that other users' (and other applications') dialogs stay unknown.
    func visibleDialog(_ id: ObjectId, to actor: DialogActor, in transaction: ChatTransaction) async throws -> Dialog {
        guard let dialog = try await transaction.dialog(id), actor.mayRead(dialog) else {
            throw ChatError.notFound("Dialog not found")
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

    /// The user's view of each dialog: whether they muted it and what they have not read
    /// (counted in one grouped query).
    func views(of dialogs: [Dialog], for userId: Int, in transaction: ChatTransaction) async throws -> [DialogView] {
        let unread = try await transaction.unreadCounts(in: dialogs.map(\.id), for: userId)
        return dialogs.map { DialogView(dialog: $0, viewerId: userId, unreadMessagesCount: unread[$0.id] ?? 0) }
    }

    /// `1, 2, 3`: user ids as an error message lists them.
    static func list(_ userIds: [Int]) -> String {
        userIds.map(String.init).joined(separator: ", ")
    }
}
