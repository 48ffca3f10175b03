import ConfabCore
import Foundation
import SQLKit

/// Renders a user's `ChatListQuery` as SQLKit expressions; every value is bound.
enum ChatListQuerySQL {
    static func conditions(_ filters: [ChatListFilter]) -> [any SQLExpression] {
        filters.map { filter in
            let column = SQLColumn(filter.field.rawValue == "_id" ? "id" : filter.field.rawValue)
            let binds = filter.values.map(bind)
            switch filter.comparison {
            case .in, .nin:
                return SQLBinaryExpression(
                    left: column, op: filter.comparison == .in ? SQLBinaryOperator.in : .notIn,
                    right: SQLGroupExpression(binds))
            case .eq, .ne, .lt, .lte, .gt, .gte:
                return SQLBinaryExpression(left: column, op: binaryOperator(filter.comparison), right: binds[0])
            }
        }
    }

    /// ORDER BY the field, then `id` the same way. A dialog without messages sorts by its
    /// `created_at` in place of `last_message_date_sent`, so that new dialogs sit among recent ones.
    static func ordering(_ sort: ChatListSort) -> [any SQLExpression] {
        let direction: SQLDirection = sort.ascending ? .ascending : .descending
        let key: any SQLExpression
        switch sort.field {
        case .id: return [SQLOrderBy(expression: SQLColumn("id"), direction: direction)]
        case .lastMessageDateSent:
            key = SQLFunction("COALESCE", args: SQLColumn("last_message_date_sent"), SQLColumn("created_at"))
        default:
            key = SQLColumn(sort.field.rawValue)
        }
        return [
            SQLOrderBy(expression: key, direction: direction),
            SQLOrderBy(expression: SQLColumn("id"), direction: direction),
        ]
    }

    private static func bind(_ value: ChatListValue) -> any SQLExpression {
        switch value {
        case .integer(let integer): SQLBind(integer)
        case .objectId(let id): SQLBind(Data(id.bytes))
        }
    }

    private static func binaryOperator(_ comparison: ChatListComparison) -> SQLBinaryOperator {
        switch comparison {
        case .eq: .equal
        case .ne: .notEqual
        case .lt: .lessThan
        case .lte: .lessThanOrEqual
        case .gt: .greaterThan
        case .gte: .greaterThanOrEqual
        case .in: .in
        case .nin: .notIn
        }
    }
}
