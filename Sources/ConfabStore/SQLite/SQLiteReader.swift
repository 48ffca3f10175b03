import CSQLiteReader
import ConfabCore
import Foundation
import NIOCore
import SQLiteKit

/// One SQLite connection of the read path: statements prepared once and kept, stepped on the
/// caller's thread, columns read by position straight from the statement.
///
/// SQLiteNIO prepares every statement anew, runs it on a thread-pool thread and builds a row
/// of named values for each result row; that was half of an admin page's cost (issue 16).
/// A reader is used by one session at a time (`SQLiteReadPool` hands it out), which is why it
/// may be `@unchecked Sendable`: no two threads ever use its handle at once.
final class SQLiteReader: @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    /// The cached statements' SQL, oldest first: the first to go when the cache is full.
    private var prepared: [String] = []

    /// Enough for every list query shape a busy server repeats; more are prepared and dropped.
    static let cachedStatements = 64

    init(path: String, cacheKiB: Int) throws {
        var opened: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(
            path, &opened, CONFAB_SQLITE_OPEN_READWRITE | CONFAB_SQLITE_OPEN_NOMUTEX, nil)
        guard let opened else { throw SQLiteReadError(code: status, message: "cannot open \(path)") }
        guard status == CONFAB_SQLITE_OK else {
            let error = SQLiteReadError(code: status, message: Self.message(opened))
            sqlite_nio_sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        // A reader waits out a checkpoint's brief lock rather than failing the request.
        sqlite_nio_sqlite3_busy_timeout(handle, 10_000)
        // Without it, binding any value a plan looked at (every `LIMIT ?`) expires the kept
        // statement, and each page prepared its SQL again.
        confab_sqlite_enable_stable_plans(handle)
        do {
            // query_only: the read path cannot write, whatever SQL reaches it.
            for pragma in ["PRAGMA query_only = 1", "PRAGMA cache_size = -\(cacheKiB)", "PRAGMA temp_store = MEMORY"] {
                _ = try run(pragma, [], cache: false) { _ in () }
            }
        } catch {
            close()
            throw error
        }
    }

    /// How many times SQLite has prepared the kept statements again (tests: it should never,
    /// since the plans are stable).
    var reprepares: Int {
        statements.values.reduce(0) {
            $0 + Int(sqlite_nio_sqlite3_stmt_status($1, CONFAB_SQLITE_STMTSTATUS_REPREPARE, 0))
        }
    }

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
        _ sql: String, _ binds: [SQLiteData], cache: Bool = true, _ read: (SQLiteReaderRow) throws -> Item
    ) throws -> [Item] {
        let statement = try self.statement(sql, cache: cache)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
            if !cache { sqlite_nio_sqlite3_finalize(statement) }
        }
        for (offset, value) in binds.enumerated() {
            try check(Self.bind(value, at: Int32(offset + 1), to: statement))
        }
        var items = [Item]()
        let row = SQLiteReaderRow(statement: statement)
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == CONFAB_SQLITE_ROW {
                items.append(try read(row))
            } else if status == CONFAB_SQLITE_DONE {
                return items
            } else {
                throw SQLiteReadError(code: status, message: Self.message(handle))
            }
        }
    }

    private func statement(_ sql: String, cache: Bool) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let flags = cache ? CONFAB_SQLITE_PREPARE_PERSISTENT : 0
        let status = sql.withCString { text in
            sqlite_nio_sqlite3_prepare_v3(handle, text, -1, flags, &statement, nil)
        }
        guard status == CONFAB_SQLITE_OK, let statement else {
            throw SQLiteReadError(code: status, message: Self.message(handle))
        }
        guard cache else { return statement }
        if prepared.count >= Self.cachedStatements {
            let oldest = prepared.removeFirst()
            if let dropped = statements.removeValue(forKey: oldest) { sqlite_nio_sqlite3_finalize(dropped) }
        }
        statements[sql] = statement
        prepared.append(sql)
        return statement
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
            throw SQLiteReadError(code: status, message: Self.message(handle))
        }
    }

    private static func message(_ handle: OpaquePointer) -> String {
        sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error"
    }
}

/// What SQLite answered a reader with, and its message.
struct SQLiteReadError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    var description: String { "SQLite error \(code): \(message)" }
}

/// The row a reader's statement is on, read by position.
struct SQLiteReaderRow: RowColumns {
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
