import ConfabCore
import Foundation
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// SQLKit on one PostgreSQL connection, whose row reads skip SQLKit: `rows(of:_:)` binds the
/// values in PostgreSQL's binary format and reads each row's cells by position.
struct PostgresLeanDatabase: PositionalRowReading, ForwardingSQLDatabase {
    let connection: PostgresConnection
    let base: any SQLDatabase

    init(connection: PostgresConnection, queryLogLevel: Logger.Level?) {
        self.connection = connection
        base = connection.sql(queryLogLevel: queryLogLevel)
    }

    func rows<Item: Sendable>(
        of query: any SQLExpression, _ decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> [Item] {
        let (sql, values) = serialize(query)
        // A bound type this does not know goes the SQLKit way, which knows every type.
        guard let binds = Self.bindings(values) else { return try await sqlKitRows(of: query, decode) }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var items = [Item]()
        for try await row in rows {
            items.append(try decode(PostgresRowColumns(cells: Array(row))))
        }
        return items
    }

    private static func bindings(_ values: [any Encodable & Sendable]) -> PostgresBindings? {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case let integer as Int: binds.append(integer)
            case let integer as Int64: binds.append(integer)
            case let text as String: binds.append(text)
            case let flag as Bool: binds.append(flag)
            case let data as Data: binds.append(ByteBuffer(bytes: data))
            default: return nil
            }
        }
        return binds
    }
}

/// A PostgreSQL row's cells by position.
private struct PostgresRowColumns: RowColumns {
    let cells: [PostgresCell]

    func integer(at index: Int) throws -> Int64? { try decode(index, as: Int64.self) }
    func text(at index: Int) throws -> String? { try decode(index, as: String.self) }
    func flag(at index: Int) throws -> Bool? { try decode(index, as: Bool.self) }

    func objectId(at index: Int) throws -> ObjectId? {
        guard let bytes = cells[index].bytes else { return nil }
        guard let id = ObjectId(bytes: bytes.readableBytesView) else { throw WrongColumnType() }
        return id
    }

    func blob(at index: Int) throws -> Data? { cells[index].bytes.map { Data($0.readableBytesView) } }

    private func decode<Value: PostgresDecodable>(_ index: Int, as type: Value.Type) throws -> Value? {
        guard cells[index].bytes != nil else { return nil }
        do {
            return try cells[index].decode(type)
        } catch {
            throw WrongColumnType()
        }
    }
}
