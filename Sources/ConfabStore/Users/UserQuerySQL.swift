import ConfabCore
import SQLKit

/// Renders a `UserQuery` as SQLKit expressions; every value is a bound parameter.
enum UserQuerySQL {
    static func conditions(_ query: UserQuery, applicationId: Int) -> [any SQLExpression] {
        [SQLBinaryExpression(SQLColumn("application_id"), .equal, SQLBind(applicationId))]
            + query.conditions.map(condition)
    }

    static func condition(_ condition: UserQuery.Condition) -> any SQLExpression {
        switch condition {
        case .oneOf(let field, let values):
            SQLBinaryExpression(SQLColumn(field.rawValue), .in, SQLGroupExpression(values.map(bind)))
        case .noneOf(let field, let values):
            SQLGroupExpression(
                SQLBinaryExpression(
                    SQLBinaryExpression(SQLColumn(field.rawValue), .notIn, SQLGroupExpression(values.map(bind))),
                    .or, SQLBinaryExpression(SQLColumn(field.rawValue), .is, SQLLiteral.null)))
        case .startsWith(let field, let prefix):
            SQLBinaryExpression(
                // PostgreSQL's substr takes an integer length; a bound Int is a bigint there.
                SQLFunction(
                    "substr", args: SQLColumn(field.rawValue), SQLLiteral.numeric("1"),
                    SQLQueryString("CAST(\(bind: prefix.unicodeScalars.count) AS INTEGER)")),
                .equal, SQLBind(prefix))
        case .compare(let field, let comparison, let value):
            SQLBinaryExpression(SQLColumn(field.rawValue), binaryOperator(comparison), bind(value))
        }
    }

    static func ordering(_ query: UserQuery) -> [any SQLExpression] {
        let direction: SQLDirection = query.ascending ? .ascending : .descending
        let id = SQLOrderBy(expression: SQLColumn("id"), direction: direction)
        guard query.sort != .id else { return [id] }
        return [SQLOrderBy(expression: SQLColumn(query.sort.rawValue), direction: direction), id]
    }

    private static func bind(_ value: UserQuery.Value) -> any SQLExpression {
        switch value {
        case .integer(let integer): SQLBind(integer)
        case .text(let text): SQLBind(text)
        }
    }

    private static func binaryOperator(_ comparison: ComparisonOperator) -> SQLBinaryOperator {
        switch comparison {
        case .ne: .notEqual
        case .lt: .lessThan
        case .lte: .lessThanOrEqual
        case .gt: .greaterThan
        case .gte: .greaterThanOrEqual
        default: .equal
        }
    }
}
