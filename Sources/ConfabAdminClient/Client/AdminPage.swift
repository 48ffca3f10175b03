import ConfabCore

/// One page of an admin list, and where a walk stands after it.
public struct AdminPage<Item: AdminListItem>: Sendable {
    /// Rows matching the page's query in all, as the server counted them.
    public var totalEntries: Int
    public var skip: Int
    public var limit: Int
    public var items: [Item]
    /// After this page's last row (the position it started from when it has none): where the
    /// next page, or a resumed walk, starts.
    public var position: ListPosition?
}
