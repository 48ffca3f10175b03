/// Where the data lives, as given on the command line or in `CONFAB_DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file, created if missing.
    case sqlite(path: String)

    /// The default: `confab.sqlite` in the working directory.
    public static let defaultLocation = DatabaseLocation.sqlite(path: "confab.sqlite")

    /// Accepts `sqlite:PATH`, `sqlite://PATH` and a bare file path.
    public init(parsing text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            throw StoreError.invalidDatabaseURL("PostgreSQL is not supported by this build yet; use sqlite:PATH")
        }
        var path = Substring(text)
        if path.hasPrefix("sqlite://") {
            path = path.dropFirst("sqlite://".count)
        } else if path.hasPrefix("sqlite:") {
            path = path.dropFirst("sqlite:".count)
        } else if path.contains("://") {
            throw StoreError.invalidDatabaseURL("unsupported database URL scheme; use sqlite:PATH")
        }
        guard !path.isEmpty else { throw StoreError.invalidDatabaseURL("the SQLite path is empty") }
        self = .sqlite(path: String(path))
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        }
    }
}
