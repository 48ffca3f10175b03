import ConfabCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// One result row's values by position, read straight from the driver's row: the lean read
/// path. SQLKit's `decode(column:as:)` goes through `Decodable` and a lookup by name for every
/// column, which was half of reading an admin page (issue 16).
protocol RowColumns {
    /// `nil` for `NULL`.
    func integer(at index: Int) throws -> Int64?
    func text(at index: Int) throws -> String?
    /// A 12-byte blob.
    func objectId(at index: Int) throws -> ObjectId?
    func blob(at index: Int) throws -> Data?
    func flag(at index: Int) throws -> Bool?
}

extension ColumnCursor {
    /// A count's one column, `total`.
    @Sendable static func total(_ row: any RowColumns) throws -> Int {
        var columns = ColumnCursor(row, names: ["total"])
        return try columns.int()
    }
}

/// A value of an unexpected type: the cursor names the column.
struct WrongColumnType: Error {}

/// Reads a row's columns in order, each by its type, naming the column in any error: the row
/// decoders read `columns` front to back with it.
struct ColumnCursor {
    private let row: any RowColumns
    private let names: [String]
    private var index = 0

    init(_ row: any RowColumns, names: [String]) {
        self.row = row
        self.names = names
    }

    /// The name of the column the next read takes.
    var name: String { index < names.count ? names[index] : "column \(index)" }

    mutating func optionalInteger() throws -> Int64? { try next { try $0.integer(at: $1) } }
    mutating func optionalText() throws -> String? { try next { try $0.text(at: $1) } }
    mutating func optionalObjectId() throws -> ObjectId? { try next { try $0.objectId(at: $1) } }
    mutating func blob() throws -> Data { try required(next { try $0.blob(at: $1) }) }

    mutating func integer() throws -> Int64 { try required(optionalInteger()) }
    mutating func text() throws -> String { try required(optionalText()) }
    mutating func objectId() throws -> ObjectId { try required(optionalObjectId()) }
    mutating func flag() throws -> Bool { try required(next { try $0.flag(at: $1) }) }

    mutating func int() throws -> Int {
        let value = try integer()
        guard let int = Int(exactly: value) else { throw StoreError.corruptRow("\(names[index - 1]) \(value)") }
        return int
    }

    mutating func optionalInt() throws -> Int? {
        try optionalInteger().map { value in
            guard let int = Int(exactly: value) else { throw StoreError.corruptRow("\(names[index - 1]) \(value)") }
            return int
        }
    }

    /// A stored JSON column, parsed by `parse` with the column's name.
    mutating func json<Value>(_ parse: (String, String) throws -> Value) throws -> Value {
        let column = name
        return try parse(try text(), column)
    }

    private mutating func next<Value>(_ read: (any RowColumns, Int) throws -> Value) throws -> Value {
        defer { index += 1 }
        do {
            return try read(row, index)
        } catch is WrongColumnType {
            throw StoreError.corruptRow("column \(name) holds a value of another type")
        }
    }

    private func required<Value>(_ value: Value?) throws -> Value {
        guard let value else { throw StoreError.corruptRow("column \(names[index - 1]) is NULL") }
        return value
    }
}

/// A database that reads rows by position without SQLKit's decoder (each store's sessions).
protocol PositionalRowReading: SQLDatabase {
    func rows<Item: Sendable>(
        of query: any SQLExpression, _ decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> [Item]
}

/// An SQLDatabase that is SQLKit's own on one connection (`base`) for everything but what it
/// adds: the lean databases of both stores.
protocol ForwardingSQLDatabase: SQLDatabase {
    var base: any SQLDatabase { get }
}

extension ForwardingSQLDatabase {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

extension SQLDatabase {
    /// The rows of `query`, each decoded by position: on the lean path where the database
    /// offers one, else through SQLKit's rows.
    func rows<Item: Sendable>(
        of query: any SQLExpression, _ decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> [Item] {
        if let lean = self as? any PositionalRowReading { return try await lean.rows(of: query, decode) }
        return try await sqlKitRows(of: query, decode)
    }

    /// Runs `query`, any rows it returns unread, on the lean path where there is one (its binds
    /// skip SQLKit's encoder).
    func run(_ query: any SQLExpression) async throws {
        _ = try await rows(of: query) { _ in () }
    }

    /// The rows of `query` through SQLKit, read by position.
    func sqlKitRows<Item: Sendable>(
        of query: any SQLExpression, _ decode: @escaping @Sendable (any RowColumns) throws -> Item
    ) async throws -> [Item] {
        let collected = RowsCollected<Item>()
        try await execute(sql: query) { row in collected.add { try decode(SQLKitRowColumns(row: row)) } }
        return try collected.items()
    }
}

extension SQLSelectBuilder {
    /// Every row, decoded by position (`ColumnCursor`).
    func rows<Item: Sendable>(_ decode: @escaping @Sendable (any RowColumns) throws -> Item) async throws -> [Item] {
        try await database.rows(of: query, decode)
    }

    /// The first row, decoded by position.
    func firstRow<Item: Sendable>(_ decode: @escaping @Sendable (any RowColumns) throws -> Item) async throws -> Item? {
        try await limit(1).rows(decode).first
    }
}

/// Items decoded in a driver's row callback, which is `@Sendable` and may run on another
/// thread; the first error stops the collection.
final class RowsCollected<Item: Sendable>: Sendable {
    private let state = NIOLockedValueBox<(items: [Item], error: (any Error)?)>(([], nil))

    func add(_ decode: () throws -> Item) {
        state.withLockedValue { state in
            guard state.error == nil else { return }
            do {
                state.items.append(try decode())
            } catch {
                state.error = error
            }
        }
    }

    func items() throws -> [Item] {
        try state.withLockedValue { state in
            if let error = state.error { throw error }
            return state.items
        }
    }
}

/// An SQLKit row by position, for a database without a lean path.
private struct SQLKitRowColumns: RowColumns {
    let row: any SQLRow
    let names: [String]

    init(row: any SQLRow) {
        self.row = row
        names = row.allColumns
    }

    func integer(at index: Int) throws -> Int64? { try decode(index, as: Int64?.self) }
    func text(at index: Int) throws -> String? { try decode(index, as: String?.self) }
    func flag(at index: Int) throws -> Bool? { try decode(index, as: Bool?.self) }

    func objectId(at index: Int) throws -> ObjectId? {
        guard let data = try decode(index, as: Data?.self) else { return nil }
        guard let id = ObjectId(bytes: data) else { throw WrongColumnType() }
        return id
    }

    func blob(at index: Int) throws -> Data? { try decode(index, as: Data?.self) }

    private func decode<Value: Decodable>(_ index: Int, as type: Value.Type) throws -> Value {
        do {
            return try row.decode(column: names[index], as: type)
        } catch {
            throw WrongColumnType()
        }
    }
}
