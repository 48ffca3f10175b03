import ConfabCore
import Foundation
import SQLKit

/// Renders a `ListQuery` as SQLKit expressions, for the admin and the user lists alike: every
/// value is a bound parameter, never text in the statement.
struct ListQuerySQL: Sendable {
    let dialect: StoreDialect

    /// The conditions of the query's filters (and its dialog, for the admin messages list).
    func conditions(_ query: ListQuery) -> [any SQLExpression] {
        var conditions = [any SQLExpression]()
        if let dialogId = query.chatDialogId {
            conditions.append(SQLBinaryExpression(SQLColumn("chat_dialog_id"), .equal, SQLBind(Data(dialogId.bytes))))
        }
        for name in query.extensions.keys.sorted() {
            conditions.append(
                SQLBinaryExpression(
                    dialect.jsonTextMember("extensions", name), .equal, SQLBind(query.extensions[name]!)))
        }
        return conditions + query.filters.map(condition)
    }

    /// One filter, with MongoDB's meaning: `ne` and `nin` also match a row without the field.
    func condition(_ filter: ListFilter) -> any SQLExpression {
        if filter.field == .attachmentsType { return attachmentCondition(filter) }
        let column =
            filter.field.kind == .text
            ? dialect.bytewiseText(Self.column(filter.field)) : SQLColumn(Self.column(filter.field))
        let binds = filter.values.map(Self.bind)
        let orAbsent = filter.field.mayBeAbsent
        switch filter.comparison {
        case .eq: return SQLBinaryExpression(column, .equal, binds[0])
        case .ne: return Self.orNull(SQLBinaryExpression(column, .notEqual, binds[0]), column, orAbsent)
        case .lt: return SQLBinaryExpression(column, .lessThan, binds[0])
        case .lte: return SQLBinaryExpression(column, .lessThanOrEqual, binds[0])
        case .gt: return SQLBinaryExpression(column, .greaterThan, binds[0])
        case .gte: return SQLBinaryExpression(column, .greaterThanOrEqual, binds[0])
        case .in: return SQLBinaryExpression(column, .in, SQLGroupExpression(binds))
        case .nin: return Self.orNull(SQLBinaryExpression(column, .notIn, SQLGroupExpression(binds)), column, orAbsent)
        case .all: return Self.allOf(binds.map { SQLBinaryExpression(column, .equal, $0) })
        case .ctn: return dialect.textContains(column, binds[0])
        }
    }

    /// `attachments.type`: a message matches when one of its attachments does (`ne`, `nin`:
    /// when none does).
    private func attachmentCondition(_ filter: ListFilter) -> any SQLExpression {
        let source = dialect.attachmentTypes
        let key = SQLRaw(source.key)
        func exists(_ predicate: any SQLExpression) -> any SQLExpression {
            SQLQueryString(
                "EXISTS (SELECT 1 FROM \(unsafeRaw: source.source) WHERE \(unsafeRaw: source.isString) AND \(predicate))"
            )
        }
        let binds = filter.values.map(Self.bind)
        switch filter.comparison {
        case .eq: return exists(SQLBinaryExpression(key, .equal, binds[0]))
        case .ne: return SQLQueryString("NOT \(exists(SQLBinaryExpression(key, .equal, binds[0])))")
        case .in: return exists(SQLBinaryExpression(key, .in, SQLGroupExpression(binds)))
        case .nin: return SQLQueryString("NOT \(exists(SQLBinaryExpression(key, .in, SQLGroupExpression(binds))))")
        case .all: return Self.allOf(binds.map { exists(SQLBinaryExpression(key, .equal, $0)) })
        case .ctn: return exists(dialect.textContains(key, binds[0]))
        case .lt, .lte, .gt, .gte:
            preconditionFailure("the grammar gives attachments.type no range operator")
        }
    }

    /// ORDER BY the sort field, then `id` in the same direction, so that pages never repeat or
    /// skip rows. A dialog without messages sorts by its `created_at` in place of
    /// `last_message_date_sent`, so that new dialogs sit among recent ones.
    func ordering(_ sort: ListSort) -> [any SQLExpression] {
        let direction: SQLDirection = sort.direction == .ascending ? .ascending : .descending
        let id = SQLOrderBy(expression: SQLColumn("id"), direction: direction)
        switch sort.field {
        case .id: return [id]
        case .lastMessageDateSent:
            let key = SQLFunction("COALESCE", args: SQLColumn("last_message_date_sent"), SQLColumn("created_at"))
            return [SQLOrderBy(expression: key, direction: direction), id]
        default:
            return [SQLOrderBy(expression: SQLColumn(Self.column(sort.field)), direction: direction), id]
        }
    }

    /// The column of a field: its own name, but `id` for `_id`.
    static func column(_ field: ListField) -> String {
        field == .id ? "id" : field.rawValue
    }

    static func bind(_ value: ListValue) -> any SQLExpression {
        switch value {
        case .objectId(let id): SQLBind(Data(id.bytes))
        case .integer(let integer): SQLBind(integer)
        case .text(let text): SQLBind(text)
        }
    }

    private static func orNull(_ condition: any SQLExpression, _ column: any SQLExpression, _ mayBeNull: Bool)
        -> any SQLExpression
    {
        guard mayBeNull else { return condition }
        return SQLGroupExpression(
            SQLBinaryExpression(condition, .or, SQLBinaryExpression(column, .is, SQLLiteral.null)))
    }

    private static func allOf(_ conditions: [any SQLExpression]) -> any SQLExpression {
        SQLGroupExpression(conditions.dropFirst().reduce(conditions[0]) { SQLBinaryExpression($0, .and, $1) })
    }
}

extension SQLDatabase {
    /// `SELECT COUNT(*)` of the rows of `table` that meet every condition.
    func countRows(in table: String, where conditions: [any SQLExpression]) async throws -> Int {
        var count = select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total").from(table)
        for condition in conditions { count = count.where(condition) }
        return try await count.firstRow(ColumnCursor.total) ?? 0
    }

    /// One page of a list: `total` counted if not given, then the rows (none for `countOnly`).
    func listPage<Item: Sendable>(
        in table: String, columns: [String], where conditions: [any SQLExpression], ordering: [any SQLExpression],
        query: ListQuery, total: Int? = nil, decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> ListPage<Item> {
        var total = total
        if total == nil { total = try await countRows(in: table, where: conditions) }
        let totalEntries = total ?? 0
        guard !query.countOnly else {
            return ListPage(totalEntries: totalEntries, skip: query.skip, limit: query.limit, items: [])
        }
        // The column list as one fragment: Confab's own constant names, quoted as both dialects
        // quote identifiers. Serializing them one by one was a tenth of a page's time on SQLite.
        var select = select().column(SQLRaw(columns.map { "\"\($0)\"" }.joined(separator: ", "))).from(table)
        for condition in conditions { select = select.where(condition) }
        for order in ordering { select = select.orderBy(order) }
        let items = try await select.limit(query.limit).offset(query.skip > 0 ? query.skip : nil).rows(decode)
        return ListPage(totalEntries: totalEntries, skip: query.skip, limit: query.limit, items: items)
    }
}
