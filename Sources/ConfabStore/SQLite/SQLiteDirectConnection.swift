import CSQLiteDirect
import ConfabCore
import Foundation
import NIOCore
import SQLiteKit

/// One SQLite connection of the store: statements prepared once and kept, stepped on the
/// caller's thread, columns read by position straight from the statement.
///
/// SQLiteNIO prepares every statement anew, runs it on a thread-pool thread and builds a row
/// of named values for each result row; that was half of an admin page's cost (issue 16), and
/// a quarter of a message write's once the change feed added two statements to it (issue 17).
/// A connection is used by one session at a time (`ConnectionSlots` hands it out), which is why
/// it may be `@unchecked Sendable`: no two threads ever use its handle at once.
final class SQLiteDirectConnection: @unchecked Sendable {
    /// What a connection is for, and so how it is opened.
    enum Role {
        /// The admin lists, exports and key checks: `query_only`, whatever SQL reaches it.
        case reader
        /// Writes (and the chat operations' reads): creates the file, WAL, durable commits.
        case writer
    }

    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    /// The cached statements' SQL, oldest first: the first to go when the cache is full.
    private var prepared: [String] = []

    /// Enough for every list query and write shape a busy server repeats; more are prepared and
    /// dropped.
    static let cachedStatements = 64

    /// `lockWait`: how long a statement waits for a lock another process holds.
    init(path: String, role: Role, cacheKiB: Int, lockWait: Duration) throws {
        var opened: OpaquePointer?
        let flags =
            role == .writer
            ? CONFAB_SQLITE_OPEN_READWRITE | CONFAB_SQLITE_OPEN_CREATE | CONFAB_SQLITE_OPEN_NOMUTEX
            : CONFAB_SQLITE_OPEN_READWRITE | CONFAB_SQLITE_OPEN_NOMUTEX
        let status = sqlite_nio_sqlite3_open_v2(path, &opened, flags, nil)
        guard let opened else { throw SQLiteDirectError(code: status, message: "cannot open \(path)") }
        guard status == CONFAB_SQLITE_OK else {
            let error = SQLiteDirectError(code: status, message: Self.message(opened))
            sqlite_nio_sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        // A reader waits out a checkpoint's brief lock rather than failing the request; a writer
        // waits for another process's write transaction (this process's writers take turns in
        // SQLiteConnectionPool, and wait there without holding a thread).
        let (seconds, attoseconds) = lockWait.components
        sqlite_nio_sqlite3_busy_timeout(
            handle, Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000))
        // Without it, binding any value a plan looked at (every `LIMIT ?`) expires the kept
        // statement, and each page prepared its SQL again.
        confab_sqlite_enable_stable_plans(handle)
        do {
            for pragma in Self.pragmas(role, cacheKiB: cacheKiB) {
                _ = try run(pragma, [], cache: false) { _ in () }
            }
        } catch {
            close()
            throw error
        }
    }

    private static func pragmas(_ role: Role, cacheKiB: Int) -> [String] {
        // Index pages of a large table stay in memory while it grows; statement journals of
        // multi-row INSERTs (and sorts) in memory, not in temporary files.
        let shared = ["PRAGMA cache_size = -\(cacheKiB)", "PRAGMA temp_store = MEMORY"]
        switch role {
        case .reader:
            return ["PRAGMA query_only = 1"] + shared
        case .writer:
            return [
                // FULL: every commit's WAL frames are fsynced before the write is acknowledged, so
                // an acknowledged write survives power loss too (NORMAL only survives a crash).
                "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
                // Checkpoint the WAL every 64 MiB rather than every 4 MiB: fewer fsyncs under bulk writes.
                "PRAGMA wal_autocheckpoint = 16384",
            ] + shared
        }
    }

    /// How many times SQLite has prepared the kept statements again (tests: it should never,
    /// since the plans are stable).
    var reprepares: Int {
        statements.values.reduce(0) {
            $0 + Int(sqlite_nio_sqlite3_stmt_status($1, CONFAB_SQLITE_STMTSTATUS_REPREPARE, 0))
        }
    }

    /// Whether the open transaction has written: its `COMMIT` will wait for the disk.
    var hasWritten: Bool { sqlite_nio_sqlite3_txn_state(handle, nil) == CONFAB_SQLITE_TXN_WRITE }

    /// How many statements are kept.
    var keptStatements: Int { statements.count }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        prepared = []
        sqlite_nio_sqlite3_close_v2(handle)
    }

    /// Runs `sql` with `binds` and returns each result row as `read` makes it, while the
    /// statement is on that row.
    func run<Item>(
        _ sql: String, _ binds: [SQLiteData], cache: Bool = true, _ read: (SQLiteDirectRow) throws -> Item
    ) throws -> [Item] {
        let (statement, isKept) = try self.statement(sql, cache: cache)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
            if !isKept { sqlite_nio_sqlite3_finalize(statement) }
        }
        for (offset, value) in binds.enumerated() {
            try check(Self.bind(value, at: Int32(offset + 1), to: statement))
        }
        var items = [Item]()
        let row = SQLiteDirectRow(statement: statement)
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == CONFAB_SQLITE_ROW {
                items.append(try read(row))
            } else if status == CONFAB_SQLITE_DONE {
                return items
            } else {
                throw SQLiteDirectError(code: status, message: Self.message(handle))
            }
        }
    }

    /// The statement for `sql`, and whether it is kept (a kept one is used even when `cache` is
    /// false, and must not be finalized by the caller).
    private func statement(_ sql: String, cache: Bool) throws -> (OpaquePointer, isKept: Bool) {
        if let statement = statements[sql] { return (statement, true) }
        var statement: OpaquePointer?
        let flags = cache ? CONFAB_SQLITE_PREPARE_PERSISTENT : 0
        let status = sql.withCString { text in
            sqlite_nio_sqlite3_prepare_v3(handle, text, -1, flags, &statement, nil)
        }
        guard status == CONFAB_SQLITE_OK, let statement else {
            throw SQLiteDirectError(code: status, message: Self.message(handle))
        }
        guard cache else { return (statement, false) }
        if prepared.count >= Self.cachedStatements {
            let oldest = prepared.removeFirst()
            if let dropped = statements.removeValue(forKey: oldest) { sqlite_nio_sqlite3_finalize(dropped) }
        }
        statements[sql] = statement
        prepared.append(sql)
        return (statement, true)
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer):
            return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double):
            return sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .text(let text):
            var text = text
            return text.withUTF8 { bytes in
                // An empty buffer may have no address, which SQLite would bind as NULL.
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return confab_sqlite_bind_text(statement, index, "", 0)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    confab_sqlite_bind_text(statement, index, $0, Int32(bytes.count))
                }
            }
        case .blob(let buffer):
            // As SQLiteNIO binds it: an empty blob has no address and binds as NULL.
            return buffer.withUnsafeReadableBytes { bytes in
                confab_sqlite_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count))
            }
        case .null:
            return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private func check(_ status: Int32) throws {
        guard status == CONFAB_SQLITE_OK else {
            throw SQLiteDirectError(code: status, message: Self.message(handle))
        }
    }

    private static func message(_ handle: OpaquePointer) -> String {
        sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error"
    }
}

/// What SQLite answered a statement with, and its message.
struct SQLiteDirectError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    /// A UNIQUE, PRIMARY KEY, NOT NULL, CHECK or foreign key constraint refused the write.
    var isConstraintViolation: Bool { code == CONFAB_SQLITE_CONSTRAINT }

    /// The lock stayed taken for longer than the connection waits (`SQLITE_BUSY`).
    var isBusy: Bool { code == CONFAB_SQLITE_BUSY }

    var description: String { "SQLite error \(code): \(message)" }
}

/// The row a statement is on, read by position.
struct SQLiteDirectRow: RowColumns {
    let statement: OpaquePointer

    var count: Int { Int(sqlite_nio_sqlite3_column_count(statement)) }

    func name(at index: Int) -> String {
        sqlite_nio_sqlite3_column_name(statement, Int32(index)).map { String(cString: $0) } ?? ""
    }

    private func type(at index: Int) -> Int32 { sqlite_nio_sqlite3_column_type(statement, Int32(index)) }

    func integer(at index: Int) throws -> Int64? {
        switch type(at: index) {
        case CONFAB_SQLITE_INTEGER: sqlite_nio_sqlite3_column_int64(statement, Int32(index))
        case CONFAB_SQLITE_NULL: nil
        default: throw WrongColumnType()
        }
    }

    func text(at index: Int) throws -> String? {
        switch type(at: index) {
        case CONFAB_SQLITE_TEXT:
            // The text first, then its length: SQLite's order for a value it may convert.
            let text = sqlite_nio_sqlite3_column_text(statement, Int32(index))
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, Int32(index)))
            return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
        case CONFAB_SQLITE_NULL: return nil
        default: throw WrongColumnType()
        }
    }

    func objectId(at index: Int) throws -> ObjectId? {
        guard let bytes = try blobBytes(at: index) else { return nil }
        guard let id = ObjectId(bytes: bytes) else { throw WrongColumnType() }
        return id
    }

    func blob(at index: Int) throws -> Data? {
        try blobBytes(at: index).map { Data($0) }
    }

    func flag(at index: Int) throws -> Bool? {
        try integer(at: index).map { $0 != 0 }
    }

    /// The column as SQLiteNIO would give it, for rows read through SQLKit.
    func data(at index: Int) -> SQLiteData {
        let column = Int32(index)
        switch type(at: index) {
        case CONFAB_SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case CONFAB_SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case CONFAB_SQLITE_TEXT: return .text((try? text(at: index)) ?? "")
        case CONFAB_SQLITE_BLOB:
            return .blob(ByteBuffer(bytes: (try? blobBytes(at: index)) ?? UnsafeRawBufferPointer(start: nil, count: 0)))
        default: return .null
        }
    }

    /// The blob's bytes, valid until the statement moves: `nil` for NULL.
    private func blobBytes(at index: Int) throws -> UnsafeRawBufferPointer? {
        switch type(at: index) {
        case CONFAB_SQLITE_BLOB:
            let bytes = sqlite_nio_sqlite3_column_blob(statement, Int32(index))
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, Int32(index)))
            return UnsafeRawBufferPointer(start: bytes, count: count)
        case CONFAB_SQLITE_NULL: return nil
        default: throw WrongColumnType()
        }
    }
}
