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
}
