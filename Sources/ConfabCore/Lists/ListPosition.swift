/// How far a walk through an admin list has come: the last row passed, by its sort key and id.
///
/// The next page is asked for by keyset, not by a growing `skip`: rows after the last one's sort
/// key (`_id[lt]=<last id>` for the default order). Only `_id` is unique, so for a sort by
/// `created_at` or `updated_at` the next page starts *at* the last key (`[gte]`/`[lte]`) and
/// skips the rows of that key already passed, which come first because ties are ordered by
/// `_id`. That skip is at most the number of rows sharing one second.
public struct ListPosition: Sendable, Equatable {
    public var lastId: ObjectId
    /// The last row's sort key: its `created_at` or `updated_at`; unused for an `_id` sort.
    public var lastKey: Int64
    /// Rows passed whose sort key is `lastKey`, the last one included.
    public var rowsAtKey: Int

    public init(lastId: ObjectId, lastKey: Int64 = 0, rowsAtKey: Int = 1) {
        self.lastId = lastId
        self.lastKey = lastKey
        self.rowsAtKey = rowsAtKey
    }

    /// The position after passing `id` with sort key `key` from `position` (`nil`: the start).
    public static func after(_ position: ListPosition?, id: ObjectId, key: Int64) -> ListPosition {
        guard let position, position.lastKey == key else { return ListPosition(lastId: id, lastKey: key) }
        return ListPosition(lastId: id, lastKey: key, rowsAtKey: position.rowsAtKey + 1)
    }
}

extension ListQuery {
    /// The rows of this query that come after `position` (all of them for `nil`), in the same
    /// order. A bound of the query's own on the sort field in the walking direction is replaced:
    /// the position's is tighter, because the row it came from passed the query's bound.
    public func continuing(after position: ListPosition?) -> ListQuery {
        guard let position else { return self }
        var next = self
        let ascending = sort.direction == .ascending
        let superseded: Set<ComparisonOperator> = ascending ? [.gt, .gte] : [.lt, .lte]
        next.filters.removeAll { $0.field == sort.field && superseded.contains($0.comparison) }
        if sort.field == .id {
            next.filters.append(.id(ascending ? .gt : .lt, position.lastId))
            next.skip = 0
        } else {
            next.filters.append(ListFilter(sort.field, ascending ? .gte : .lte, [.integer(position.lastKey)]))
            next.skip = position.rowsAtKey
        }
        return next
    }
}

extension ListField {
    /// A row's key in a list sorted by this field, as `ListPosition` keeps it: its `created_at`
    /// or `updated_at`, 0 for `_id` (the admin lists sort by these three only).
    public func positionKey(createdAt: Int64, updatedAt: Int64) -> Int64 {
        switch self {
        case .createdAt: createdAt
        case .updatedAt: updatedAt
        default: 0
        }
    }
}
