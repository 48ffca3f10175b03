import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLKit over one `SQLiteDirectConnection`: the lean reads (`rows(of:_:)`) decode by position
/// on the statement's row; SQLKit's own rows (counts, transactions) get the values as SQLiteKit
/// would decode them.
///
/// Statements step on the calling task's thread: a message's write statements, like a page's
/// reads, cost less than a hop to a thread pool and back. The two that wait run on NIO's
/// thread pool instead, so that no task thread sleeps: `BEGIN IMMEDIATE`, which waits for
/// another process's writer, and the `COMMIT` of a transaction that wrote, which waits for the
/// disk (and checkpoints).
struct SQLiteDirectDatabase: PositionalRowReading {
    let connection: SQLiteDirectConnection
    let logger: Logger
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func rows<Item: Sendable>(
        of query: any SQLExpression, _ decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> [Item] {
        let (sql, values) = serialize(query)
        let binds = try SQLiteData.bindings(values)
        return try await perform(sql) { try connection.run(sql, binds) { try decode($0) } }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, values) = serialize(query)
        let binds = try SQLiteData.bindings(values)
        try await perform(sql) {
            _ = try connection.run(sql, binds) { row in onRow(SQLiteDirectSQLRow(row)) }
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

    private func perform<Result: Sendable>(
        _ sql: String, _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        let waits = sql == SQLiteChatStore.dialect.beginWrite || (sql == "COMMIT" && connection.hasWritten)
        do {
            guard waits else { return try body() }
            return try await NIOThreadPool.singleton.runIfActive(body)
        } catch let error as SQLiteDirectError where error.isBusy {
            throw StoreError.busy("another process held the SQLite database's lock for too long; try again")
        }
    }
}

/// A statement's row copied out for SQLKit, decoded as SQLiteKit decodes SQLiteNIO's rows.
private struct SQLiteDirectSQLRow: SQLRow {
    let allColumns: [String]
    let values: [SQLiteData]

    init(_ row: SQLiteDirectRow) {
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
                SQLiteDirectColumn(column), .init(codingPath: [], debugDescription: "no column \(column)"))
        }
        return values[index]
    }
}

private struct SQLiteDirectColumn: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension SQLiteData {
    /// The bound values as SQLite's, the types the store binds converted directly: SQLiteKit's
    /// encoder reaches them through dynamic casts, which were most of a counted-tree upsert's
    /// cost (a seed binds 20 million values into them).
    static func bindings(_ values: [any Encodable & Sendable]) throws -> [SQLiteData] {
        var binds = [SQLiteData]()
        binds.reserveCapacity(values.count)
        var encoder: SQLiteDataEncoder?
        for value in values {
            switch value {
            case let integer as Int: binds.append(.integer(integer))
            case let integer as Int64: binds.append(.integer(Int(integer)))
            case let text as String: binds.append(.text(text))
            case let flag as Bool: binds.append(.integer(flag ? 1 : 0))
            case let bytes as Data: binds.append(.blob(ByteBuffer(bytes: bytes)))
            default:
                if encoder == nil { encoder = SQLiteDataEncoder() }
                binds.append(try encoder!.encode(value))
            }
        }
        return binds
    }
}
