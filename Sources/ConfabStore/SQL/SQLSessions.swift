import SQLKit

/// Hands out one database session at a time per caller: a connection that stays the same for
/// the whole closure, so that a transaction's statements run together. Each database's
/// connection pool implements it.
protocol SQLSessions: Sendable {
    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result

    /// A session for a write transaction. Where the database takes one writer at a time
    /// (SQLite), writers wait their turn here, suspended, rather than in the database's busy
    /// handler, which would hold one of the few threads the waited-for writer needs.
    func withWriterSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result

    func close() async throws
}

extension SQLSessions {
    /// Any session: for databases whose writers wait for each other without holding a thread.
    func withWriterSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await withSession(body)
    }

    /// Runs `body` in a read transaction begun with `begin`, committed if `body` returns and
    /// rolled back if it throws.
    func withTransaction<Result: Sendable>(
        begin: String,
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await withSession { session in try await Self.transaction(on: session, begin: begin, body) }
    }

    /// Runs `body` in a write transaction begun with `begin`, in a writer session.
    func withWriteTransaction<Result: Sendable>(
        begin: String,
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await withWriterSession { session in try await Self.transaction(on: session, begin: begin, body) }
    }

    private static func transaction<Result: Sendable>(
        on session: StoreSession,
        begin: String,
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        // On the lean path where there is one: two of a list page's four statements.
        try await session.sql.run(SQLQueryString(begin))
        do {
            let result = try await body(session)
            try await session.sql.run(SQLQueryString("COMMIT"))
            return result
        } catch {
            try? await session.sql.raw("ROLLBACK").run()
            throw error
        }
    }
}
