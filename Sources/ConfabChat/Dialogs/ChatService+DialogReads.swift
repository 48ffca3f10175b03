import ConfabCore
import ConfabStore

extension ChatService {
    /// The dialogs the user sees, with their unread counts.
    public func dialogs(of userId: Int, applicationId: Int, query: ListQuery) async throws -> ListPage<DialogView> {
        try await store.read(applicationId: applicationId) { transaction in
            let page = try await transaction.dialogs(of: userId, query: query)
            let views = try await views(of: page.items, for: userId, in: transaction)
            return ListPage(totalEntries: page.totalEntries, skip: page.skip, limit: page.limit, items: views)
        }
    }

    /// The user's view of one dialog.
    public func view(of dialog: Dialog, for userId: Int, applicationId: Int) async throws -> DialogView {
        try await store.read(applicationId: applicationId) { transaction in
            try await views(of: [dialog], for: userId, in: transaction)[0]
        }
    }

    /// `GET /chat/Dialog/{id}/occupants`: a page of the dialog's members (its occupants, or the
    /// subscribers of a public or broadcast dialog) by user id, for anyone who may read it.
    public func occupants(of dialogId: ObjectId, for userId: Int, skip: Int, limit: Int, applicationId: Int)
        async throws -> [ChatUser]
    {
        try await store.read(applicationId: applicationId) { transaction in
            let dialog = try await visibleDialog(dialogId, to: .user(userId), in: transaction)
            let page = dialog.memberIds.sorted().dropFirst(skip).prefix(limit)
            return try await transaction.users(Array(page))
        }
    }
}
