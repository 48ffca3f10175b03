import Foundation

/// A parsed `postgres://user:password@host:port/database?sslmode=MODE` URL, as libpq reads it.
/// User and password may be percent-encoded; the password never appears in `description`.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode`, narrowed to what PostgresNIO can do.
    public enum TLSMode: String, Sendable, Equatable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection; `verify-ca` and `verify-full` also verify the certificate.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(
        host: String, port: Int = 5432, username: String, password: String? = nil, database: String,
        tls: TLSMode = .prefer
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// - Throws: `StoreError.invalidDatabaseURL` naming what is missing or wrong.
    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw StoreError.invalidDatabaseURL("not a postgres://user:password@host:port/database URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalidDatabaseURL("the PostgreSQL URL names no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw StoreError.invalidDatabaseURL("the PostgreSQL URL names no user (postgres://USER@host/database)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidDatabaseURL("the PostgreSQL URL names no database (postgres://user@host/DATABASE)")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw StoreError.invalidDatabaseURL(
                    "unknown PostgreSQL URL parameter \(item.name); only sslmode is read")
            }
            switch item.value ?? "" {
            case "disable": tls = .disable
            case "allow", "prefer": tls = .prefer
            case "require", "verify-ca", "verify-full": tls = .require
            default:
                throw StoreError.invalidDatabaseURL(
                    "sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
            }
        }
        self.init(
            host: host, port: components.port ?? 5432, username: username, password: components.password,
            database: database, tls: tls)
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> PostgresURL {
        var url = self
        url.database = database
        return url
    }

    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(username)@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }
}
