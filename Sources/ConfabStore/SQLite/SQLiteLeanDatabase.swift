import ConfabCore
import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit

/// SQLKit on one SQLite connection, whose row reads skip SQLKit: `rows(of:_:)` steps the
/// statement on SQLite's thread and hands each row's values to the decoder by position.
struct SQLiteLeanDatabase: PositionalRowReading, ForwardingSQLDatabase {
    let connection: SQLiteConnection
    let base: any SQLDatabase

    init(connection: SQLiteConnection, queryLogLevel: Logger.Level?) {
        self.connection = connection
        base = connection.sql(queryLogLevel: queryLogLevel)
    }

    func rows<Item: Sendable>(
        of query: any SQLExpression, _ decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> [Item] {
        let (sql, values) = serialize(query)
        let binds = try SQLiteData.bindings(values)
        let collected = RowsCollected<Item>()
        try await connection.query(sql, binds) { row in
            collected.add { try decode(SQLiteRowColumns(columns: row.columns)) }
        }
        return try collected.items()
    }
}

/// An SQLite row's values by position.
private struct SQLiteRowColumns: RowColumns {
    let columns: [SQLiteColumn]

    func integer(at index: Int) throws -> Int64? {
        switch columns[index].data {
        case .integer(let value): Int64(value)
        case .null: nil
        default: throw WrongColumnType()
        }
    }

    func text(at index: Int) throws -> String? {
        switch columns[index].data {
        case .text(let value): value
        case .null: nil
        default: throw WrongColumnType()
        }
    }

    func objectId(at index: Int) throws -> ObjectId? {
        switch columns[index].data {
        case .blob(let buffer):
            guard let id = ObjectId(bytes: buffer.readableBytesView) else { throw WrongColumnType() }
            return id
        case .null: return nil
        default: throw WrongColumnType()
        }
    }

    func blob(at index: Int) throws -> Data? {
        switch columns[index].data {
        case .blob(let buffer): Data(buffer.readableBytesView)
        case .null: nil
        default: throw WrongColumnType()
        }
    }

    func flag(at index: Int) throws -> Bool? {
        try integer(at: index).map { $0 != 0 }
    }
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
