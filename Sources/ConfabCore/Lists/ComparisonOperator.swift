/// The operators of a filter, `field[op]=value`, with MongoDB's meaning (ConnectyCube's ids are
/// MongoDB ObjectIds); a bare `field=value` is `eq`. A field that holds several values
/// (`attachments.type`) matches when any of them does, `ne` and `nin` when none does.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case eq
    case ne
    case lt
    case lte
    case gt
    case gte
    /// One of the comma-separated values.
    case `in`
    /// None of the comma-separated values; also a row without the field.
    case nin
    /// Every one of the comma-separated values.
    case all
    /// Contains the value, case-sensitively: text fields only.
    case ctn

    /// Whether the value is a comma-separated list.
    public var takesList: Bool { self == .in || self == .nin || self == .all }

    /// The four that bound a range.
    public static let ranges: [ComparisonOperator] = [.gt, .lt, .gte, .lte]

    /// Whether `value` passes `value <op> bound`, for the range operators and `eq`/`ne`.
    public func admits<T: Comparable>(_ value: T, bound: T) -> Bool {
        switch self {
        case .gt: value > bound
        case .lt: value < bound
        case .gte: value >= bound
        case .lte: value <= bound
        case .eq, .all: value == bound
        case .ne: value != bound
        case .in, .nin, .ctn: false
        }
    }
}
