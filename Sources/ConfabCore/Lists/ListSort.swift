/// The order of an admin list: one field and a direction, with `_id` in the same direction
/// breaking ties so that pages never repeat or skip rows.
public struct ListSort: Sendable, Equatable {
    public enum Direction: Sendable, Equatable {
        case ascending
        case descending
    }

    public var field: ListField
    public var direction: Direction

    public init(field: ListField, direction: Direction) {
        self.field = field
        self.direction = direction
    }

    /// `_id` descending: newest first, which the reference's `_id[lt]` paging needs.
    public static let `default` = ListSort(field: .id, direction: .descending)
}
