/// One `field[op]=value` condition of a list. Several on one field form a range.
public struct ListFilter: Sendable, Equatable {
    public var field: ListField
    public var comparison: ComparisonOperator
    /// One value, or several for `in`, `nin` and `all`.
    public var values: [ListValue]

    public init(_ field: ListField, _ comparison: ComparisonOperator, _ values: [ListValue]) {
        self.field = field
        self.comparison = comparison
        self.values = values
    }

    public static func id(_ comparison: ComparisonOperator, _ id: ObjectId) -> ListFilter {
        ListFilter(.id, comparison, [.objectId(id)])
    }

    public static func createdAt(_ comparison: ComparisonOperator, _ seconds: Int64) -> ListFilter {
        ListFilter(.createdAt, comparison, [.integer(seconds)])
    }

    public static func updatedAt(_ comparison: ComparisonOperator, _ seconds: Int64) -> ListFilter {
        ListFilter(.updatedAt, comparison, [.integer(seconds)])
    }

    /// The one value of a filter that is not a list.
    public var value: ListValue { values[0] }

    /// As a query parameter: `name[op]`, or the bare name for `eq`.
    public var parameterName: String {
        comparison == .eq ? field.rawValue : "\(field.rawValue)[\(comparison.rawValue)]"
    }

    /// As a query parameter's value: the values joined by commas.
    public var parameterValue: String { values.map(\.text).joined(separator: ",") }
}
