import Foundation
import SQLKit

/// One step of a store's schema. Steps run in order, each once, recorded in `schema_migrations`.
/// The statements are fixed DDL with no values in them.
struct SchemaMigration: Sendable {
    let version: Int
    let statements: [String]
    /// Runs after the statements, in their transaction: fills what they created from the data.
    var backfill: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
}

extension SQLSessions {
    /// Brings the schema up to date: runs, in one transaction each, the steps not yet recorded.
    func migrate(_ migrations: [SchemaMigration], begin: String) async throws {
        try await withSession { session in
            try await session.sql.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"
            ).run()
        }
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            try await withWriteTransaction(begin: begin) { session in
                let database = session.sql
                let applied = try await database.raw(
                    "SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)"
                ).first()
                guard applied == nil else { return }
                for statement in migration.statements {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                try await migration.backfill?(database)
                let now = Int64(Date().timeIntervalSince1970)
                try await database.raw(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: migration.version), \(bind: now))"
                ).run()
            }
        }
    }
}
