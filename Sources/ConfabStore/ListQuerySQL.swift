import ConfabCore
import Foundation
import SQLKit

/// Renders a `ListQuery` as SQLKit expressions: every value is a bound parameter, never text
/// in the statement.
enum ListQuerySQL {
    /// The WHERE conditions: the application, the optional dialog, then each filter.
    static func conditions(applicationId: Int, query: ListQuery) -> [any SQLExpression] {
        var conditions: [any SQLExpression] = [
            SQLBinaryExpression(
                left: SQLColumn("application_id"), op: SQLBinaryOperator.equal, right: SQLBind(applicationId))
        ]
        if let dialogId = query.chatDialogId {
            conditions.append(
                SQLBinaryExpression(
                    left: SQLColumn("chat_dialog_id"), op: SQLBinaryOperator.equal, right: SQLBind(Data(dialogId.bytes))
                ))
        }
        for filter in query.filters {
            let bound: any Encodable & Sendable =
                switch filter {
                case .id(_, let id): Data(id.bytes)
                case .createdAt(_, let seconds), .updatedAt(_, let seconds): seconds
                }
            conditions.append(
                SQLBinaryExpression(
                    left: SQLColumn(column(filter.field)), op: binaryOperator(filter.comparison), right: SQLBind(bound))
            )
        }
        return conditions
    }

    /// ORDER BY the sort field, then `id` in the same direction.
    static func ordering(_ sort: ListSort) -> [any SQLExpression] {
        let direction: SQLDirection = sort.direction == .ascending ? .ascending : .descending
        var columns = [column(sort.field)]
        if sort.field != .id { columns.append("id") }
        return columns.map { SQLOrderBy(expression: SQLColumn($0), direction: direction) }
    }

    static func column(_ field: ListField) -> String {
        switch field {
        case .id: "id"
        case .createdAt: "created_at"
        case .updatedAt: "updated_at"
        }
    }

    private static func binaryOperator(_ comparison: ComparisonOperator) -> SQLBinaryOperator {
        switch comparison {
        case .gt: .greaterThan
        case .lt: .lessThan
        case .gte: .greaterThanOrEqual
        case .lte: .lessThanOrEqual
        }
    }
}
