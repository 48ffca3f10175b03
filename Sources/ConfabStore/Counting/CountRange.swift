import ConfabCore

/// A position in a counted tree: the rows before it are the ones a count takes.
enum CountBound: Sendable, Equatable {
    /// Before the first row whose time is these seconds.
    case time(Int64)
    /// Before the row with this `_id`, or just after it when `inclusive`.
    case id(ObjectId, inclusive: Bool)
    /// After the last row.
    case end

    /// The key whose bucket path the count walks; `nil` for `.end`.
    var key: Int64? {
        switch self {
        case .time(let seconds): seconds
        case .id(let id, _): Int64(id.timestamp)
        case .end: nil
        }
    }

    /// Whether `self` is the same position as `other` or comes before it.
    func isAtOrBefore(_ other: CountBound) -> Bool {
        switch (self, other) {
        case (_, .end): true
        case (.end, _): false
        case (.time(let a), .time(let b)): a <= b
        case (.id(let a, let aInclusive), .id(let b, let bInclusive)):
            a < b || (a == b && (!aInclusive || bInclusive))
        default: false
        }
    }
}

/// What an admin list's `total_entries` counts, when counters can answer it: the rows of one
/// tree between two positions. Queries whose filters name more than one field have none, and
/// are counted row by row.
struct CountRange: Sendable, Equatable {
    var scope: CountScope
    /// Rows before this position are left out; `nil`: none are.
    var lower: CountBound?
    /// Rows before this position are counted.
    var upper: CountBound

    init?(collection: ChatCollection, query: ListQuery) {
        let fields = Set(query.filters.map(\.field))
        guard fields.count <= 1 else { return nil }
        let field = fields.first ?? .id
        guard CountScope.fields.contains(field),
            query.filters.allSatisfy({ $0.comparison == .eq || ComparisonOperator.ranges.contains($0.comparison) })
        else { return nil }
        scope = CountScope(
            collection: collection, field: field, dialogId: collection == .messages ? query.chatDialogId : nil)
        lower = nil
        upper = .end
        for filter in query.filters {
            for (bound, isUpper) in Self.bounds(filter) {
                if isUpper {
                    if bound.isAtOrBefore(upper) { upper = bound }
                } else if let current = lower {
                    if current.isAtOrBefore(bound) { lower = bound }
                } else {
                    lower = bound
                }
            }
        }
    }

    /// Whether the range holds no position at all (`lower` at or after `upper`).
    var isEmpty: Bool {
        guard let lower else { return false }
        return upper.isAtOrBefore(lower)
    }

    /// The bounds of one filter on a counted field: one for a range operator, two for `eq`.
    private static func bounds(_ filter: ListFilter) -> [(CountBound, isUpper: Bool)] {
        switch filter.value {
        case .objectId(let id):
            let before = CountBound.id(id, inclusive: false)
            let through = CountBound.id(id, inclusive: true)
            switch filter.comparison {
            case .lt: return [(before, true)]
            case .lte: return [(through, true)]
            case .gt: return [(through, false)]
            case .gte: return [(before, false)]
            default: return [(before, false), (through, true)]
            }
        case .integer(let seconds):
            switch filter.comparison {
            case .lt: return [(.time(seconds), true)]
            case .lte: return [(after(seconds), true)]
            case .gt: return [(after(seconds), false)]
            case .gte: return [(.time(seconds), false)]
            default: return [(.time(seconds), false), (after(seconds), true)]
            }
        case .text:
            preconditionFailure("counted fields hold ids and times")
        }
    }

    /// The position just after every row at `seconds`.
    private static func after(_ seconds: Int64) -> CountBound {
        seconds == .max ? .end : .time(seconds + 1)
    }
}
