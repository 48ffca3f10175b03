import Logging
import PostgresKit
import PostgresNIO

/// The production store: PostgreSQL, with an optional streaming read replica for the admin lists.
public enum PostgresChatStore {
    /// Connects, brings the schema up to date, and opens a pool of up to `connections`
    /// connections to `url` (and as many to `readReplica`, when given).
    ///
    /// - Parameter readReplica: a hot standby of `url`'s database that serves
    ///   `dialogs(applicationId:query:)` and `messages(applicationId:query:)`. Everything else,
    ///   admin key checks included, reads and writes the primary.
    /// - Throws: the server's error when it cannot be reached or refuses the credentials.
    public static func open(
        url: PostgresURL,
        readReplica: PostgresURL? = nil,
        connections: Int = 10,
        logger: Logger = Logger(label: "confab.store.postgres")
    ) async throws -> SQLChatStore {
        let migrator = try await PostgresSingleConnection.connect(to: url, logger: logger)
        do {
            try await migrator.migrate(dialect.migrations, begin: dialect.beginWrite)
        } catch {
            try? await migrator.close()
            throw error
        }
        try await migrator.close()
        let primary = try await PostgresConnectionPool.start(url: url, capacity: connections, logger: logger)
        let observedPrimary = ObservedSessions(primary, pool: "writer", capacity: connections)
        guard let readReplica else { return SQLChatStore(sessions: observedPrimary, dialect: dialect) }
        do {
            // Connect once now, so that a wrong replica URL fails here and not on the first list.
            try await PostgresSingleConnection.connect(to: readReplica, logger: logger).close()
            let replica = try await PostgresConnectionPool.start(
                url: readReplica, capacity: connections, logger: logger)
            return SQLChatStore(
                sessions: observedPrimary,
                listSessions: ObservedSessions(replica, pool: "reader", capacity: connections), dialect: dialect)
        } catch {
            try? await primary.close()
            throw error
        }
    }

    static let dialect = StoreDialect(
        migrations: PostgresSchema.migrations,
        // One snapshot for a page and its total.
        beginRead: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        exportPragmas: ([], []),
        beginWrite: "BEGIN",
        serializeWrites: { applicationId in
            // Held to the end of the transaction. Writers of different applications do not wait.
            "SELECT pg_advisory_xact_lock(\(bind: applicationId)::bigint)"
        },
        // An identity column's sequence does not see ids given explicitly.
        advanceApplicationIds:
            "SELECT setval(pg_get_serial_sequence('applications', 'id'), (SELECT max(id) FROM applications))",
        // 24 columns × 2,000 rows stays under PostgreSQL's 65,535 bound parameters.
        rowsPerInsert: 2_000,
        isUniqueViolation: { error in
            (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
        },
        jsonArrayContains: { column, value in
            SQLQueryString("\(ident: column) @> \(bind: "[\(value)]")::jsonb")
        },
        jsonTextMember: { column, key in SQLQueryString("(\(ident: column)::jsonb ->> \(bind: key))") },
        bind: { value in
            switch value {
            case .json(let text): SQLQueryString("\(bind: text)::jsonb")
            default: value.sqlExpression
            }
        },
        // The "C" collation compares bytes, as SQLite does; the database's own may not.
        bytewiseText: { SQLQueryString("\(ident: $0) COLLATE \"C\"") },
        textContains: { text, part in SQLQueryString("strpos(\(text), \(part)) > 0") },
        // `attachments` is kept as text, in the order sent. PostgreSQL's JSON functions refuse
        // the escaped NUL (`\u0000`) an attachment may hold, so it is read as U+FFFD: no filter
        // value holds a NUL, so none matches either way.
        attachmentTypes: JSONArrayKeySource(
            source: "jsonb_array_elements(replace(attachments, '\\u0000', '\\ufffd')::jsonb) AS attachment(value)",
            isString: "jsonb_typeof(attachment.value -> 'type') = 'string'",
            key: "attachment.value ->> 'type'")
    )
}
