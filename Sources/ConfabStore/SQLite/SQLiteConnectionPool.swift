import Logging
import NIOCore
import NIOPosix
import SQLiteKit

/// A small pool of SQLite connections to one file, in WAL mode so that readers never wait for
/// the writer. Writers of this process take turns here; a writer of another process is waited
/// for by SQLite's busy timeout (`SQLiteDirectConnection`) rather than failed.
actor SQLiteConnectionPool: SQLSessions {
    private let connections: ConnectionSlots<SQLiteDirectConnection>
    private var isWriting = false
    private var writersWaiting: [CheckedContinuation<Void, Never>] = []
    private let logger: Logger

    /// Each connection's page cache: 64 MiB.
    static let pageCacheKiB = 65_536

    init(path: String, capacity: Int, lockWait: Duration, logger: Logger) {
        connections = ConnectionSlots(
            capacity: capacity,
            open: {
                try SQLiteDirectConnection(path: path, role: .writer, cacheKiB: Self.pageCacheKiB, lockWait: lockWait)
            },
            close: { $0.close() })
        self.logger = logger
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await connections.withConnection { connection in
            let session = StoreSession(sql: SQLiteDirectDatabase(connection: connection, logger: logger)) {
                table, columns, rows in
                try await Self.insert(rows, into: table, columns: columns, on: connection)
            }
            return try await body(session)
        }
    }

    /// One write transaction at a time: SQLite allows no more, and a second writer inside SQLite
    /// would sleep in the busy timeout on a thread the first writer may need to finish.
    func withWriterSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        if isWriting {
            await withCheckedContinuation { writersWaiting.append($0) }
        } else {
            isWriting = true
        }
        defer {
            if writersWaiting.isEmpty {
                isWriting = false
            } else {
                writersWaiting.removeFirst().resume()
            }
        }
        return try await withSession(body)
    }

    func close() async throws {
        await connections.closeAll()
    }

    /// A write of a few rows (a message's or a dialog's own) runs on the calling task's thread
    /// with its statement kept; a bulk insert (an import's, a mirror's) runs on the thread pool,
    /// prepared for the once (a statement of 24,000 parameters is large to keep).
    static let keptInsertRows = 8

    /// One multi-row INSERT with `?` placeholders, values bound as `SQLiteData` directly.
    private static func insert(
        _ rows: [[StoredValue]],
        into table: String,
        columns: [String],
        on connection: SQLiteDirectConnection
    ) async throws {
        guard !rows.isEmpty else { return }
        let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let sql =
            "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES "
            + Array(repeating: placeholders, count: rows.count).joined(separator: ",")
        var binds = [SQLiteData]()
        binds.reserveCapacity(rows.count * columns.count)
        for row in rows {
            for value in row {
                switch value {
                case .null: binds.append(.null)
                case .integer(let integer): binds.append(.integer(Int(integer)))
                case .bool(let flag): binds.append(.integer(flag ? 1 : 0))
                case .text(let text), .json(let text): binds.append(.text(text))
                case .blob(let bytes): binds.append(.blob(ByteBuffer(bytes: bytes)))
                }
            }
        }
        let isSmall = rows.count <= keptInsertRows
        let insert: @Sendable () throws -> Void = { [binds] in
            _ = try connection.run(sql, binds, cache: isSmall) { _ in () }
        }
        if isSmall {
            try insert()
        } else {
            try await NIOThreadPool.singleton.runIfActive(insert)
        }
    }
}
