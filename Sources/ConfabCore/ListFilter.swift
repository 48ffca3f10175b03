/// One `field[op]=value` condition of an admin list. Several on one field form a range.
public enum ListFilter: Sendable, Equatable {
    case id(ComparisonOperator, ObjectId)
    case createdAt(ComparisonOperator, Int64)
    case updatedAt(ComparisonOperator, Int64)

    public var field: ListField {
        switch self {
        case .id: .id
        case .createdAt: .createdAt
        case .updatedAt: .updatedAt
        }
    }

    public var comparison: ComparisonOperator {
        switch self {
        case .id(let comparison, _), .createdAt(let comparison, _), .updatedAt(let comparison, _): comparison
        }
    }
}
