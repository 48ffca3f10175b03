import Logging
import SQLiteKit

/// The embedded store: one SQLite file in WAL mode.
public enum SQLiteChatStore {
    /// How long a write waits for another process's write transaction on the same file (a
    /// `confab` command beside a server) before it fails with `StoreError.busy`.
    public static let defaultLockWait: Duration = .seconds(10)

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public static func open(
        path: String,
        connections: Int = 4,
        lockWait: Duration = defaultLockWait,
        logger: Logger = Logger(label: "confab.store.sqlite")
    ) async throws -> SQLChatStore {
        let pool = SQLiteConnectionPool(path: path, capacity: connections, lockWait: lockWait, logger: logger)
        // The admin lists and exports read on their own connections (SQLiteReadPool says why).
        let readers = SQLiteReadPool(path: path, capacity: connections, logger: logger)
        let observedReaders = ObservedSessions(readers, pool: "reader", capacity: connections)
        let store = SQLChatStore(
            sessions: ObservedSessions(pool, pool: "writer", capacity: connections), listSessions: observedReaders,
            keySessions: observedReaders, dialect: dialect)
        do {
            try await pool.migrate(dialect.migrations, begin: dialect.beginWrite)
        } catch {
            try? await pool.close()
            throw error
        }
        return store
    }

    static let dialect = StoreDialect(
        migrations: SQLiteSchema.migrations,
        beginRead: "BEGIN DEFERRED",
        // 2 MiB while an export walks, so that one export adds little to the server's memory.
        exportPragmas: (
            ["PRAGMA cache_size = -2048"], ["PRAGMA cache_size = -\(SQLiteConnectionPool.pageCacheKiB)"]
        ),
        beginWrite: "BEGIN IMMEDIATE",
        serializeWrites: nil,
        advanceApplicationIds: nil,
        // 24 columns × 1,000 rows stays under SQLite's 32,766 bound parameters.
        rowsPerInsert: 1_000,
        isUniqueViolation: { ($0 as? SQLiteDirectError)?.isConstraintViolation ?? false },
        jsonArrayContains: { column, value in
            SQLQueryString("EXISTS (SELECT 1 FROM json_each(\(ident: column)) WHERE value = \(bind: value))")
        },
        jsonTextMember: { column, key in
            SQLQueryString("json_extract(\(ident: column), \(bind: "$.\"" + key + "\""))")
        },
        bind: { $0.sqlExpression },
        // SQLite's default collation, BINARY, compares the bytes.
        bytewiseText: { SQLColumn($0) },
        textContains: { text, part in SQLQueryString("instr(\(text), \(part)) > 0") },
        attachmentTypes: JSONArrayKeySource(
            source: "json_each(attachments) AS attachment",
            isString: "json_type(attachment.value, '$.type') = 'text'",
            key: "json_extract(attachment.value, '$.type')")
    )
}
