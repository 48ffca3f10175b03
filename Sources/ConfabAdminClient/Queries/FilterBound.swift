import ConfabCore

/// One or two bounds on a field: `.greaterThan(date)`, or a range, `.within(start..<end)`.
public struct FilterBound<Value: Comparable & Sendable>: Sendable, Equatable {
    struct Condition: Sendable, Equatable {
        let comparison: ComparisonOperator
        let value: Value
    }

    let conditions: [Condition]

    private init(_ conditions: [Condition]) {
        self.conditions = conditions
    }

    public static func greaterThan(_ value: Value) -> FilterBound {
        FilterBound([Condition(comparison: .gt, value: value)])
    }
    public static func greaterThanOrEqual(_ value: Value) -> FilterBound {
        FilterBound([Condition(comparison: .gte, value: value)])
    }
    public static func lessThan(_ value: Value) -> FilterBound {
        FilterBound([Condition(comparison: .lt, value: value)])
    }
    public static func lessThanOrEqual(_ value: Value) -> FilterBound {
        FilterBound([Condition(comparison: .lte, value: value)])
    }
    /// From the lower bound, up to but not including the upper.
    public static func within(_ range: Range<Value>) -> FilterBound {
        FilterBound([
            Condition(comparison: .gte, value: range.lowerBound), Condition(comparison: .lt, value: range.upperBound),
        ])
    }
    /// Both bounds included.
    public static func within(_ range: ClosedRange<Value>) -> FilterBound {
        FilterBound([
            Condition(comparison: .gte, value: range.lowerBound), Condition(comparison: .lte, value: range.upperBound),
        ])
    }
}
