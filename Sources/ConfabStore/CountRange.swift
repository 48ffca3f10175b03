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
        scope = CountScope(
            collection: collection, field: fields.first ?? .id,
            dialogId: collection == .messages ? query.chatDialogId : nil)
        lower = nil
        upper = .end
        for filter in query.filters {
            let (bound, isUpper) = Self.bound(filter)
            if isUpper {
                if bound.isAtOrBefore(upper) { upper = bound }
            } else if let current = lower {
                if current.isAtOrBefore(bound) { lower = bound }
            } else {
                lower = bound
            }
        }
    }

    /// Whether the range holds no position at all (`lower` at or after `upper`).
    var isEmpty: Bool {
        guard let lower else { return false }
        return upper.isAtOrBefore(lower)
    }

    private static func bound(_ filter: ListFilter) -> (CountBound, isUpper: Bool) {
        switch filter {
        case .id(let comparison, let id):
            switch comparison {
            case .lt: (.id(id, inclusive: false), true)
            case .lte: (.id(id, inclusive: true), true)
            case .gt: (.id(id, inclusive: true), false)
            case .gte: (.id(id, inclusive: false), false)
            }
        case .createdAt(let comparison, let seconds), .updatedAt(let comparison, let seconds):
            switch comparison {
            case .lt: (.time(seconds), true)
            case .lte: (after(seconds), true)
            case .gt: (after(seconds), false)
            case .gte: (.time(seconds), false)
            }
        }
    }

    /// The position just after every row at `seconds`.
    private static func after(_ seconds: Int64) -> CountBound {
        seconds == .max ? .end : .time(seconds + 1)
    }
}
