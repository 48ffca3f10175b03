/// A validated request for one page of a chat list, admin or user; `ListQueryParser` makes
/// one from a request's parameters under the list's `ListGrammar`.
public struct ListQuery: Sendable, Equatable {
    public static let defaultLimit = 100
    public static let maximumLimit = 100

    public var filters: [ListFilter]
    /// The admin messages list: restricts it to one dialog (`chat_dialog_id=`).
    public var chatDialogId: ObjectId?
    /// The user dialogs list: `extensions[name]=value`, every one matched exactly.
    public var extensions: [String: String]
    public var sort: ListSort
    public var limit: Int
    public var skip: Int
    /// `count=1` (user lists): answer only how many match.
    public var countOnly: Bool

    public init(
        filters: [ListFilter] = [],
        chatDialogId: ObjectId? = nil,
        extensions: [String: String] = [:],
        sort: ListSort = .default,
        limit: Int = ListQuery.defaultLimit,
        skip: Int = 0,
        countOnly: Bool = false
    ) {
        self.filters = filters
        self.chatDialogId = chatDialogId
        self.extensions = extensions
        self.sort = sort
        self.limit = limit
        self.skip = skip
        self.countOnly = countOnly
    }
}
