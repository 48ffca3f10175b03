import Logging
import NIOCore
import NIOSSL
import PostgresKit
import PostgresNIO

/// One PostgreSQL connection of its own, outside the pool, as `SQLSessions`: migrations run on
/// it, so a wrong URL, password or server shows at once as the error the server gave.
struct PostgresSingleConnection: SQLSessions {
    let connection: PostgresConnection

    static func connect(to url: PostgresURL, logger: Logger) async throws -> PostgresSingleConnection {
        let tls: PostgresConnection.Configuration.TLS =
            switch url.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: tls)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        return PostgresSingleConnection(connection: connection)
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await body(Self.session(on: connection))
    }

    func close() async throws {
        try await connection.close()
    }

    /// SQLKit on `connection`, and its multi-row INSERT with values bound directly.
    static func session(on connection: PostgresConnection) -> StoreSession {
        StoreSession(sql: PostgresLeanDatabase(connection: connection, queryLogLevel: .trace)) { table, columns, rows in
            try await insert(rows, into: table, columns: columns, on: connection)
        }
    }

    /// One INSERT of all `rows` with `$n` placeholders (`$n::jsonb` for JSON values), each value
    /// bound in PostgreSQL's binary format without SQLKit's encoder.
    private static func insert(
        _ rows: [[StoredValue]],
        into table: String,
        columns: [String],
        on connection: PostgresConnection
    ) async throws {
        guard !rows.isEmpty else { return }
        var sql = "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES "
        sql.reserveCapacity(sql.utf8.count + rows.count * columns.count * 8)
        var binds = PostgresBindings(capacity: rows.count * columns.count)
        for (rowIndex, row) in rows.enumerated() {
            sql += rowIndex == 0 ? "(" : ",("
            for (columnIndex, value) in row.enumerated() {
                if columnIndex > 0 { sql += "," }
                sql += "$\(binds.count + 1)"
                switch value {
                case .null: binds.appendNull()
                case .integer(let integer): binds.append(integer)
                case .bool(let flag): binds.append(flag)
                case .text(let text): binds.append(text)
                case .json(let text):
                    binds.append(text)
                    sql += "::jsonb"
                case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
                }
            }
            sql += ")"
        }
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: connection.logger)
    }
}
