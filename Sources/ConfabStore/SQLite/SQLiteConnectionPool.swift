import Logging
import NIOPosix
import SQLKit
import SQLiteKit

/// A small pool of SQLite connections to one file, in WAL mode so that readers never wait for
/// the writer. Writers of this process take turns here; a writer of another process is waited
/// for by SQLite's busy handler rather than failed.
actor SQLiteConnectionPool: SQLSessions {
    private let connections: ConnectionSlots<SQLiteConnection>
    private var isWriting = false
    private var writersWaiting: [CheckedContinuation<Void, Never>] = []

    /// Each connection's page cache: 64 MiB.
    static let pageCacheKiB = 65_536

    init(path: String, capacity: Int, logger: Logger) {
        connections = ConnectionSlots(
            capacity: capacity, open: { try await Self.open(path: path, logger: logger) },
            close: { try? await $0.close() })
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await connections.withConnection { connection in
            let session = StoreSession(sql: SQLiteLeanDatabase(connection: connection, queryLogLevel: .trace)) {
                table, columns, rows in
                try await Self.insert(rows, into: table, columns: columns, on: connection)
            }
            return try await body(session)
        }
    }

    /// One write transaction at a time: SQLite allows no more, and a second writer inside SQLite
    /// spins in the busy handler on a thread-pool thread, which the first writer may need to finish.
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

    /// One multi-row INSERT with `?` placeholders, values bound as `SQLiteData` directly.
    private static func insert(
        _ rows: [[StoredValue]],
        into table: String,
        columns: [String],
        on connection: SQLiteConnection
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
        _ = try await connection.query(sql, binds)
    }

    private static func open(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: .singleton,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        for pragma in [
            // FULL: every commit's WAL frames are fsynced before the write is acknowledged, so an
            // acknowledged write survives power loss too (NORMAL only survives a process crash).
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
            // Index pages of a large table stay in memory while it grows.
            "PRAGMA cache_size = -\(Self.pageCacheKiB)",
            // Statement journals of multi-row INSERTs in memory, not in temporary files.
            "PRAGMA temp_store = MEMORY",
            // Checkpoint the WAL every 64 MiB rather than every 4 MiB: fewer fsyncs under bulk writes.
            "PRAGMA wal_autocheckpoint = 16384",
        ] {
            _ = try await connection.query(pragma)
        }
        return connection
    }
}
