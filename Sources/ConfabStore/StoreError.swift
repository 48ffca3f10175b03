/// An error of the store that a caller can act on.
///
/// A struct around a private enum (as PostgresNIO's `PSQLError`) so that cases can be added
/// without breaking callers, who match on the static members.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case conflict
        case unknownApplication
        case invalidDatabaseURL
        case corruptRow
        case unstorableValue
        case taken
        case expiredCursor
        case busy
    }

    private let code: Code
    /// What happened, for people; never contains secrets.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A row with that key exists already.
    public static func conflict(_ detail: String) -> StoreError { StoreError(.conflict, detail) }
    /// No application with that id.
    public static func unknownApplication(_ id: Int) -> StoreError {
        StoreError(.unknownApplication, "no application with id \(id)")
    }
    /// A database URL the store cannot use.
    public static func invalidDatabaseURL(_ detail: String) -> StoreError { StoreError(.invalidDatabaseURL, detail) }
    /// A stored row that does not decode; the database was changed behind Confab's back.
    public static func corruptRow(_ detail: String) -> StoreError { StoreError(.corruptRow, detail) }

    /// A value no database keeps intact, such as text with a NUL character.
    public static func unstorableValue(_ detail: String) -> StoreError { StoreError(.unstorableValue, detail) }

    /// A unique field (a user's `login` or `email`) has this value already in the application.
    public static func taken(_ field: String) -> StoreError { StoreError(.taken, field) }

    /// A change-feed cursor from before the tombstones kept: deletions after it may be gone.
    public static func expiredCursor(_ detail: String) -> StoreError { StoreError(.expiredCursor, detail) }

    /// Another process held the database's write lock for longer than the store waits for it.
    public static func busy(_ detail: String) -> StoreError { StoreError(.busy, detail) }

    /// The field that `taken` names, for an error keyed by the parameter.
    public var takenField: String? { code == .taken ? detail : nil }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }

    public var description: String { detail }
}
