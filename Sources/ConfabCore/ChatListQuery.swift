/// A query of a user's own lists, `GET /chat/Dialog` and `GET /chat/Message`: more fields and
/// operators than the admin lists (`ne`, `in`, `nin`, and a bare `field=value` for equality),
/// offset paging, and `count=1` for the number of matches only.
public struct ChatListQuery: Sendable, Equatable {
    public var filters: [ChatListFilter] = []
    /// `nil`: the list's default order.
    public var sort: ChatListSort?
    public var skip = 0
    public var limit = ListQuery.maximumLimit
    /// `count=1`: answer only how many match.
    public var countOnly = false

    public init() {}
}

public struct ChatListFilter: Sendable, Equatable {
    public var field: ChatListField
    public var comparison: ChatListComparison
    /// One value, or several for `in` and `nin`.
    public var values: [ChatListValue]

    public init(field: ChatListField, comparison: ChatListComparison, values: [ChatListValue]) {
        self.field = field
        self.comparison = comparison
        self.values = values
    }
}

public struct ChatListSort: Sendable, Equatable {
    public var field: ChatListField
    public var ascending: Bool

    public init(field: ChatListField, ascending: Bool) {
        self.field = field
        self.ascending = ascending
    }
}

public enum ChatListValue: Sendable, Equatable {
    case integer(Int64)
    case objectId(ObjectId)
}

public enum ChatListComparison: String, Sendable, CaseIterable {
    case eq, ne, lt, lte, gt, gte, `in`, nin

    var takesList: Bool { self == .in || self == .nin }
}

/// The fields a user's list filters and sorts on; every one is a column of the same name.
public enum ChatListField: String, Sendable, CaseIterable {
    case id = "_id"
    case type
    case createdAt = "created_at"
    case updatedAt = "updated_at"
    case lastMessageDateSent = "last_message_date_sent"
    case dateSent = "date_sent"
    case senderId = "sender_id"

    public static func fields(of collection: ChatCollection) -> [ChatListField] {
        switch collection {
        case .dialogs: [.id, .type, .createdAt, .updatedAt, .lastMessageDateSent]
        case .messages: [.id, .createdAt, .updatedAt, .dateSent, .senderId]
        }
    }
}
