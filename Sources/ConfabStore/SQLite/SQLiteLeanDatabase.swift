import ConfabCore
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
        let encoder = SQLiteDataEncoder()
        let binds = try values.map { try encoder.encode($0) }
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

    func flag(at index: Int) throws -> Bool? {
        try integer(at: index).map { $0 != 0 }
    }
}
