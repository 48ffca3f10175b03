import ConfabCore
import Foundation
import SQLKit

/// `ChatStore` on any SQL database that SQLKit speaks; the differences are in its `StoreDialect`.
public struct SQLChatStore: ChatStore {
    let sessions: any SQLSessions
    /// Where the admin lists read: a read replica, SQLite's readers, or `sessions` itself.
    let listSessions: any SQLSessions
    /// Whether `listSessions` are sessions of their own (a replica's, SQLite's readers), which
    /// `close()` closes too.
    private let ownsListSessions: Bool
    /// Where the admin API key is looked up: the primary's data, never a replica's (a new key
    /// works at once). On SQLite, its readers, which keep the statement prepared.
    let keySessions: any SQLSessions
    let dialect: StoreDialect
    /// Keeps and reads the counted trees behind the admin lists' `total_entries`.
    let counter: ListCounter

    init(
        sessions: any SQLSessions, listSessions: (any SQLSessions)? = nil, keySessions: (any SQLSessions)? = nil,
        dialect: StoreDialect, counter: ListCounter = ListCounter()
    ) {
        self.sessions = sessions
        self.keySessions = keySessions ?? sessions
        self.listSessions = listSessions ?? sessions
        self.ownsListSessions = listSessions != nil
        self.dialect = dialect
        self.counter = counter
    }

    /// The same store, keeping its counts with `counter`: for tests of other thresholds.
    func counting(with counter: ListCounter) -> SQLChatStore {
        SQLChatStore(
            sessions: sessions, listSessions: ownsListSessions ? listSessions : nil, keySessions: keySessions,
            dialect: dialect, counter: counter)
    }

    public func poolUsage() -> [StorePoolUsage] {
        var pools: [ObservedSessions] = []
        for case let observed as ObservedSessions in [sessions, listSessions, keySessions]
        where !pools.contains(where: { $0 === observed }) {
            pools.append(observed)
        }
        return pools.map(\.usage)
    }

    // MARK: Applications

    public func createApplication(
        name: String,
        credentials: ApplicationCredentials,
        createdAt: Int64
    ) async throws -> ChatApplication {
        let hash = Data(SecretHash(secret: credentials.adminAPIKey).bytes)
        do {
            let id = try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
                let row = try await session.sql.raw(
                    """
                    INSERT INTO applications (name, auth_key, auth_secret, admin_key_hash, created_at)
                    VALUES (\(bind: name), \(bind: credentials.authKey), \(bind: credentials.authSecret), \(bind: hash), \(bind: createdAt))
                    RETURNING id
                    """
                ).first()
                guard let row else { throw StoreError.corruptRow("INSERT … RETURNING gave no row") }
                let id = try row.decode(column: "id", as: Int.self)
                // Its first key: `admin`, named `default`.
                try await Self.insertKey(
                    credentials.adminAPIKey, applicationId: id, name: "default", scope: .admin, at: createdAt,
                    on: session.sql)
                return id
            }
            return ChatApplication(id: id, name: name, authKey: credentials.authKey, createdAt: createdAt)
        } catch  where dialect.isUniqueViolation(error) {
            throw StoreError.conflict("an application with this auth key or admin key exists")
        }
    }

    public func application(adminAPIKey: String) async throws -> ChatApplication? {
        try await adminKey(adminAPIKey, at: Int64(Date().timeIntervalSince1970))?.application
    }

    public func application(id: Int) async throws -> ChatApplication? {
        let row = try await sessions.withSession { session in
            try await session.sql.raw(
                "SELECT id, name, auth_key, created_at FROM applications WHERE id = \(bind: id)"
            ).first()
        }
        return try row.map(Self.application)
    }

    public func authSecret(applicationId: Int) async throws -> String? {
        let row = try await sessions.withSession { session in
            try await session.sql.raw("SELECT auth_secret FROM applications WHERE id = \(bind: applicationId)").first()
        }
        return try row?.decode(column: "auth_secret", as: String.self)
    }

    public func applications() async throws -> [ChatApplication] {
        let rows = try await sessions.withSession { session in
            try await session.sql.raw("SELECT id, name, auth_key, created_at FROM applications ORDER BY id").all()
        }
        return try rows.map(Self.application)
    }

    static func application(_ row: any SQLRow) throws -> ChatApplication {
        ChatApplication(
            id: try row.decode(column: "id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            authKey: try row.decode(column: "auth_key", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self)
        )
    }

    // MARK: Bulk writes

    public func insert(dialogs: [Dialog], messages: [Message], applicationId: Int) async throws {
        do {
            _ = try await write(
                dialogs: dialogs, messages: messages, applicationId: applicationId, skippingKnown: false)
        } catch  where dialect.isUniqueViolation(error) {
            throw StoreError.conflict(
                "a dialog or message with one of these ids exists in application \(applicationId)")
        }
    }

    public func insertNew(dialogs: [Dialog], messages: [Message], applicationId: Int) async throws -> InsertedRows {
        try await write(dialogs: dialogs, messages: messages, applicationId: applicationId, skippingKnown: true)
    }

    /// The bulk write behind `insert` and `insertNew`: rows in batches, then their counts.
    private func write(
        dialogs: [Dialog],
        messages: [Message],
        applicationId: Int,
        skippingKnown: Bool
    ) async throws -> InsertedRows {
        try StorableText.check(dialogs: dialogs, messages: messages)
        let rowsPerInsert = dialect.rowsPerInsert
        let counter = counter
        return try await withChatWrite(applicationId) { session, sequence in
            let exists = try await session.sql.raw(
                "SELECT id FROM applications WHERE id = \(bind: applicationId)"
            ).first()
            guard exists != nil else { throw StoreError.unknownApplication(applicationId) }
            var newDialogs = dialogs
            var newMessages = messages
            if skippingKnown {
                newDialogs = try await Self.unknown(
                    dialogs, id: \.id, in: "dialogs", applicationId: applicationId, on: session)
                newMessages = try await Self.unknown(
                    messages, id: \.id, in: "messages", applicationId: applicationId, on: session)
            }
            try await Self.insertRows(
                dialogs: newDialogs, messages: newMessages, applicationId: applicationId, sequence: sequence,
                rowsPerInsert: rowsPerInsert, counter: counter, on: session)
            return InsertedRows(dialogs: newDialogs.count, messages: newMessages.count)
        }
    }

    /// Writes new rows in multi-row inserts, then their counts: a bulk load's write, and a
    /// mirror's for the rows a page of changes brings that it does not hold yet.
    static func insertRows(
        dialogs: [Dialog], messages: [Message], applicationId: Int, sequence: Int64, rowsPerInsert: Int,
        counter: ListCounter, on session: StoreSession
    ) async throws {
        for start in stride(from: 0, to: dialogs.count, by: rowsPerInsert) {
            let rows = dialogs[start..<min(start + rowsPerInsert, dialogs.count)].map {
                DialogRow.values($0, applicationId: applicationId) + [.integer(sequence)]
            }
            try await session.insertRows("dialogs", ["application_id"] + DialogRow.columns + ["change_seq"], rows)
        }
        for start in stride(from: 0, to: messages.count, by: rowsPerInsert) {
            let rows = messages[start..<min(start + rowsPerInsert, messages.count)].map {
                MessageRow.values($0, applicationId: applicationId) + [.integer(sequence)]
            }
            try await session.insertRows("messages", ["application_id"] + MessageRow.columns + ["change_seq"], rows)
        }
        try await counter.record(
            entering: dialogs.map(StoredKeys.init) + messages.map(StoredKeys.init), applicationId: applicationId,
            on: session.sql)
    }

    /// Those of `rows` whose ids `table` does not hold for the application, each id once.
    static func unknown<Row>(
        _ rows: [Row],
        id: KeyPath<Row, ObjectId>,
        in table: String,
        applicationId: Int,
        on session: StoreSession
    ) async throws -> [Row] {
        var seen = Set<ObjectId>()
        let idsPerQuery = 500
        for start in stride(from: 0, to: rows.count, by: idsPerQuery) {
            let ids = rows[start..<min(start + idsPerQuery, rows.count)].map { SQLBind(Data($0[keyPath: id].bytes)) }
            let known = try await session.sql.select().column("id").from(table)
                .where("application_id", .equal, SQLBind(applicationId))
                .where(SQLColumn("id"), .in, SQLGroupExpression(ids))
                .rows { row in
                    var columns = ColumnCursor(row, names: ["id"])
                    return try columns.objectId()
                }
            seen.formUnion(known)
        }
        return rows.filter { seen.insert($0[keyPath: id]).inserted }
    }

    // MARK: Admin lists

    public func dialogs(applicationId: Int, query: ListQuery) async throws -> ListPage<Dialog> {
        try await page(.dialogs, columns: DialogRow.columns, applicationId: applicationId, query: query) {
            try DialogRow.decode($0)
        }
    }

    public func messages(applicationId: Int, query: ListQuery) async throws -> ListPage<Message> {
        try await page(.messages, columns: MessageRow.columns, applicationId: applicationId, query: query) {
            try MessageRow.decode($0)
        }
    }

    /// The page and the total, from one read transaction so that they agree. The total comes
    /// from the counted trees when the filters bound one counted field (and a dialog), else
    /// from counting the matching rows (docs/exact-counts.md).
    private func page<Item: Sendable>(
        _ collection: ChatCollection,
        columns: [String],
        applicationId: Int,
        query: ListQuery,
        decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> ListPage<Item> {
        let sql = ListQuerySQL(dialect: dialect)
        let conditions =
            [SQLBinaryExpression(SQLColumn("application_id"), .equal, SQLBind(applicationId)) as any SQLExpression]
            + sql.conditions(query)
        let ordering = sql.ordering(query.sort)
        let range = CountRange(collection: collection, query: query)
        let counter = counter
        return try await listSessions.withTransaction(begin: dialect.beginRead) { session in
            let database = session.sql
            var total: Int?
            if let range { total = try await counter.count(range, applicationId: applicationId, on: database) }
            return try await database.listPage(
                in: collection.table, columns: columns, where: conditions, ordering: ordering, query: query,
                total: total, decode: decode)
        }
    }

    // MARK: Lifecycle

    public func close() async throws {
        if ownsListSessions { try? await listSessions.close() }
        try await sessions.close()
    }
}
