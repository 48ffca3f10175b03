import ConfabCore
import SQLKit

extension SQLChatStore {
    public func exportDialogs(
        applicationId: Int, query: ListQuery, batchRows: Int, _ body: @Sendable ([Dialog]) async throws -> Void
    ) async throws {
        try await export(
            .dialogs, columns: DialogRow.columns, applicationId: applicationId, query: query, batchRows: batchRows,
            decode: DialogRow.decode, position: { ($0.id, Self.key(of: $0.createdAt, $0.updatedAt, query.sort)) },
            body)
    }

    public func exportMessages(
        applicationId: Int, query: ListQuery, batchRows: Int, _ body: @Sendable ([Message]) async throws -> Void
    ) async throws {
        try await export(
            .messages, columns: MessageRow.columns, applicationId: applicationId, query: query, batchRows: batchRows,
            decode: MessageRow.decode, position: { ($0.id, Self.key(of: $0.createdAt, $0.updatedAt, query.sort)) },
            body)
    }

    /// The sort key a `ListPosition` keeps: the row's `created_at` or `updated_at`, 0 for `_id`.
    private static func key(of createdAt: Int64, _ updatedAt: Int64, _ sort: ListSort) -> Int64 {
        switch sort.field {
        case .createdAt: createdAt
        case .updatedAt: updatedAt
        default: 0
        }
    }

    /// Walks the query by keyset (`ListQuery.continuing(after:)`, as the SDK walks pages) inside
    /// one read transaction, so that every batch comes from the snapshot of the first: SQLite's
    /// read transaction in WAL mode, PostgreSQL's `REPEATABLE READ`. Nothing is counted.
    private func export<Item: Sendable>(
        _ collection: ChatCollection,
        columns: [String],
        applicationId: Int,
        query: ListQuery,
        batchRows: Int,
        decode: @escaping @Sendable (any SQLRow) throws -> Item,
        position: @escaping @Sendable (Item) -> (ObjectId, Int64),
        _ body: @Sendable ([Item]) async throws -> Void
    ) async throws {
        precondition(batchRows > 0, "an export reads at least one row a batch")
        let sql = ListQuerySQL(dialect: dialect)
        let inApplication = SQLBinaryExpression(SQLColumn("application_id"), .equal, SQLBind(applicationId))
        var start = query
        start.skip = 0
        start.limit = batchRows
        start.countOnly = false
        try await listSessions.withTransaction(begin: dialect.beginRead) { [start] session in
            var passed: ListPosition?
            while true {
                try Task.checkCancellation()
                let next = start.continuing(after: passed)
                let page = try await session.sql.listPage(
                    in: collection.table, columns: columns, where: [inApplication] + sql.conditions(next),
                    ordering: sql.ordering(next.sort), query: next, total: 0, decode: decode)
                guard !page.items.isEmpty else { return }
                for item in page.items {
                    let (id, key) = position(item)
                    passed = ListPosition.after(passed, id: id, key: key)
                }
                try await body(page.items)
                if page.items.count < batchRows { return }
            }
        }
    }
}
