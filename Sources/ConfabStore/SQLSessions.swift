import SQLKit

/// Hands out one database session at a time per caller: a connection that stays the same for
/// the whole closure, so that a transaction's statements run together. Each database's
/// connection pool implements it.
protocol SQLSessions: Sendable {
    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result

    func close() async throws
}

extension SQLSessions {
    /// Runs `body` in a transaction begun with `begin`, committed if `body` returns and rolled
    /// back if it throws.
    func withTransaction<Result: Sendable>(
        begin: String,
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await withSession { session in
            try await session.sql.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(session)
                try await session.sql.raw("COMMIT").run()
                return result
            } catch {
                try? await session.sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
