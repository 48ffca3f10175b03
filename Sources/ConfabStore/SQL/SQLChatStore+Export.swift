import ConfabCore
import SQLKit

extension SQLChatStore {
    public func exportDialogs(
        applicationId: Int, query: ListQuery, batchRows: Int, _ body: @Sendable ([Dialog]) async throws -> Void
    ) async throws {
        try await export(
            .dialogs, columns: DialogRow.columns, applicationId: applicationId, query: query, batchRows: batchRows,
            decode: DialogRow.decode,
            position: { ($0.id, query.sort.field.positionKey(createdAt: $0.createdAt, updatedAt: $0.updatedAt)) },
            body)
    }

    public func exportMessages(
        applicationId: Int, query: ListQuery, batchRows: Int, _ body: @Sendable ([Message]) async throws -> Void
    ) async throws {
        try await export(
            .messages, columns: MessageRow.columns, applicationId: applicationId, query: query, batchRows: batchRows,
            decode: MessageRow.decode,
            position: { ($0.id, query.sort.field.positionKey(createdAt: $0.createdAt, updatedAt: $0.updatedAt)) },
            body)
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
        decode: @escaping @Sendable (any RowColumns) throws -> Item,
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
            @Sendable func batch(_ passed: ListPosition?) async throws -> [Item] {
                try Task.checkCancellation()
                let next = start.continuing(after: passed)
                return try await session.sql.listPage(
                    in: collection.table, columns: columns, where: [inApplication] + sql.conditions(next),
                    ordering: sql.ordering(next.sort), query: next, total: 0, decode: decode
                ).items
            }
            @Sendable func run(_ statements: [String]) async throws {
                for statement in statements { try await session.sql.raw(SQLQueryString(statement)).run() }
            }
            try await run(dialect.exportPragmas.before)
            do {
                try await walk(batch, position: position, batchRows: batchRows, body)
            } catch {
                try? await run(dialect.exportPragmas.after)
                throw error
            }
            try await run(dialect.exportPragmas.after)
        }
    }

    /// Hands each batch to `body`, reading the next while `body` writes this one: the database's
    /// thread and the encoder each keep a core busy.
    private func walk<Item: Sendable>(
        _ batch: @Sendable (ListPosition?) async throws -> [Item],
        position: @Sendable (Item) -> (ObjectId, Int64),
        batchRows: Int,
        _ body: @Sendable ([Item]) async throws -> Void
    ) async throws {
        var items = try await batch(nil)
        var passed: ListPosition?
        while !items.isEmpty {
            for item in items {
                let (id, key) = position(item)
                passed = ListPosition.after(passed, id: id, key: key)
            }
            let isLast = items.count < batchRows
            let after = passed
            async let following = isLast ? [] : batch(after)
            try await body(items)
            items = try await following
        }
    }
}
