import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// The embedded store's read path: the admin lists and exports read through `SQLiteReader`s,
/// writes keep SQLiteNIO (`SQLiteConnectionPool`). In WAL mode the readers see every committed
/// write and never wait for the writer.
///
/// A reader steps its statement on the thread of the task that reads: a page is a fraction of
/// a millisecond of SQLite's time, less than the hop to a thread pool and back cost.
struct SQLiteReadPool: SQLSessions {
    private let readers: ConnectionSlots<SQLiteReader>
    private let logger: Logger

    init(path: String, capacity: Int, logger: Logger) {
        readers = ConnectionSlots(
            capacity: capacity, open: { try SQLiteReader(path: path, cacheKiB: SQLiteConnectionPool.pageCacheKiB) },
            close: { $0.close() })
        self.logger = logger
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await readers.withConnection { reader in
            let session = StoreSession(sql: SQLiteReaderDatabase(reader: reader, logger: logger)) { table, _, _ in
                throw SQLiteReadError(code: 8, message: "the read path writes no rows (into \(table))")
            }
            return try await body(session)
        }
    }

    func close() async throws {
        await readers.closeAll()
    }
}

/// SQLKit over one reader: the lean reads (`rows(of:_:)`) decode by position on the statement's
/// row; SQLKit's own rows (counts, transactions) get the values as SQLiteKit would decode them.
struct SQLiteReaderDatabase: PositionalRowReading {
    let reader: SQLiteReader
    let logger: Logger
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func rows<Item: Sendable>(
        of query: any SQLExpression, _ decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> [Item] {
        let (sql, values) = serialize(query)
        return try reader.run(sql, try SQLiteData.bindings(values)) { try decode($0) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, values) = serialize(query)
        _ = try reader.run(sql, try SQLiteData.bindings(values)) { row in
            onRow(SQLiteReaderSQLRow(row))
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// A reader's row copied out for SQLKit, decoded as SQLiteKit decodes SQLiteNIO's rows.
private struct SQLiteReaderSQLRow: SQLRow {
    let allColumns: [String]
    let values: [SQLiteData]

    init(_ row: SQLiteReaderRow) {
        allColumns = (0..<row.count).map { row.name(at: $0) }
        values = (0..<row.count).map { row.data(at: $0) }
    }

    func contains(column: String) -> Bool { allColumns.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        guard case .null = try value(column) else { return false }
        return true
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try SQLiteDataDecoder().decode(type, from: try value(column))
    }

    private func value(_ column: String) throws -> SQLiteData {
        guard let index = allColumns.firstIndex(of: column) else {
            throw DecodingError.keyNotFound(
                SQLiteReaderColumn(column), .init(codingPath: [], debugDescription: "no column \(column)"))
        }
        return values[index]
    }
}

private struct SQLiteReaderColumn: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
