/// The operators of a filter such as `updated_at[gt]=…`.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case gt
    case lt
    case gte
    case lte

    /// Whether `value` passes `value <op> bound`.
    public func admits<T: Comparable>(_ value: T, bound: T) -> Bool {
        switch self {
        case .gt: value > bound
        case .lt: value < bound
        case .gte: value >= bound
        case .lte: value <= bound
        }
    }
}
