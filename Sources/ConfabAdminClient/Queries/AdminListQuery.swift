import ConfabCore

/// Which rows of an admin list, in which order. Paging is the client's business: a walk asks
/// for the next page after the last row (keyset), so no `skip` here.
public struct AdminListQuery: Sendable, Equatable {
    public var filters: [AdminFilter]
    /// `_id` descending (newest first) unless given; ties of other fields are ordered by `_id`.
    public var sort: ListSort

    public init(_ filters: [AdminFilter] = [], sort: ListSort = .default) {
        self.filters = filters
        self.sort = sort
    }
}
