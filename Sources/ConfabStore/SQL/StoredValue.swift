import Foundation
import SQLKit

/// A column value on its way into the database, independent of the driver: each dialect binds
/// it in its fastest way (the SQLite store as `SQLiteData` without SQLKit's encoder).
enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case bool(Bool)
    case text(String)
    case blob([UInt8])
    /// JSON text that the database keeps as a JSON document it can index (`jsonb` on
    /// PostgreSQL, text on SQLite): id lists and custom fields.
    case json(String)

    init(_ value: Int) { self = .integer(Int64(value)) }
    init(_ value: Int64) { self = .integer(value) }
    init(_ value: String) { self = .text(value) }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}

extension StoredValue {
    /// The value as a bound SQLKit parameter, for statements built with SQLKit. A `.json`
    /// value is bound as text; a dialect that stores JSON otherwise casts it (`StoreDialect.bind`).
    var sqlExpression: any SQLExpression {
        switch self {
        case .null: SQLLiteral.null
        case .integer(let integer): SQLBind(integer)
        case .bool(let flag): SQLBind(flag)
        case .text(let text), .json(let text): SQLBind(text)
        case .blob(let bytes): SQLBind(Data(bytes))
        }
    }
}
