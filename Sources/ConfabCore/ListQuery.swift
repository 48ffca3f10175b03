/// A validated request for one page of an admin list.
public struct ListQuery: Sendable, Equatable {
    public static let defaultLimit = 100
    public static let maximumLimit = 100

    public var filters: [ListFilter]
    /// Messages only: restricts the list to one dialog.
    public var chatDialogId: ObjectId?
    public var sort: ListSort
    public var limit: Int
    public var skip: Int

    public init(
        filters: [ListFilter] = [],
        chatDialogId: ObjectId? = nil,
        sort: ListSort = .default,
        limit: Int = ListQuery.defaultLimit,
        skip: Int = 0
    ) {
        self.filters = filters
        self.chatDialogId = chatDialogId
        self.sort = sort
        self.limit = limit
        self.skip = skip
    }
}
