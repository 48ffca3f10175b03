/// One page of an admin list: the rows and how they sit in the whole.
public struct ListPage<Item: Sendable>: Sendable {
    /// Every row matching the filters, not only this page's.
    public var totalEntries: Int
    public var skip: Int
    public var limit: Int
    public var items: [Item]

    public init(totalEntries: Int, skip: Int, limit: Int, items: [Item]) {
        self.totalEntries = totalEntries
        self.skip = skip
        self.limit = limit
        self.items = items
    }
}

extension ListPage: Equatable where Item: Equatable {}
