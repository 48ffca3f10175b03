/// Where the data lives, as given on the command line or in `CONFAB_DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file, created if missing.
    case sqlite(path: String)
    /// A PostgreSQL database, which must exist; Confab creates its tables.
    case postgres(PostgresURL)

    /// The default: `confab.sqlite` in the working directory.
    public static let defaultLocation = DatabaseLocation.sqlite(path: "confab.sqlite")

    /// Accepts `postgres://…` and `postgresql://…` URLs, `sqlite:PATH`, `sqlite://PATH` and a
    /// bare file path.
    public init(parsing text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: text))
            return
        }
        var path = Substring(text)
        if path.hasPrefix("sqlite://") {
            path = path.dropFirst("sqlite://".count)
        } else if path.hasPrefix("sqlite:") {
            path = path.dropFirst("sqlite:".count)
        } else if path.contains("://") {
            throw StoreError.invalidDatabaseURL("unsupported database URL scheme; use sqlite:PATH or postgres://…")
        }
        guard !path.isEmpty else { throw StoreError.invalidDatabaseURL("the SQLite path is empty") }
        self = .sqlite(path: String(path))
    }

    /// Never shows a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url.description
        }
    }
}
