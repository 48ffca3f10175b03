import ConfabCore

/// Where Confab keeps applications, dialogs and messages.
///
/// One protocol for every database: the SQLite store (embedded default) and the PostgreSQL store
/// implement it with the same observable behaviour, and every test of it runs against each.
/// Dialect differences stay behind it.
///
/// Every method either does all it says or nothing. Errors thrown are `StoreError`s for what the
/// caller can act on (a conflict, an unknown application); anything else is a failure of the
/// database itself, which callers report as a server error.
public protocol ChatStore: Sendable {
    /// Creates an application. Only a SHA-256 hash of `credentials.adminAPIKey` is kept.
    ///
    /// - Throws: `StoreError.conflict` if `credentials.authKey` or the admin key is taken.
    func createApplication(
        name: String,
        credentials: ApplicationCredentials,
        createdAt: Int64
    ) async throws -> ChatApplication

    /// The application whose administration key is `adminAPIKey`, or `nil`.
    /// The key is compared by hash, in constant time.
    func application(adminAPIKey: String) async throws -> ChatApplication?

    /// The application with this id, or `nil`.
    func application(id: Int) async throws -> ChatApplication?

    /// Every application, oldest first.
    func applications() async throws -> [ChatApplication]

    /// Writes dialogs and messages that are complete already (bulk loading, seeding), in one
    /// transaction.
    ///
    /// - Throws: `StoreError.unknownApplication` if `applicationId` does not exist;
    ///   `StoreError.conflict` if an id is taken in that application;
    ///   `StoreError.unstorableValue` if a text field contains NUL, which neither SQLite nor
    ///   PostgreSQL text keeps. Nothing is written then.
    func insert(dialogs: [Dialog], messages: [Message], applicationId: Int) async throws

    /// One page of the application's dialogs, with the count of all that match.
    /// Page and count are read from one snapshot.
    func dialogs(applicationId: Int, query: ListQuery) async throws -> ListPage<Dialog>

    /// One page of the application's messages, with the count of all that match.
    /// Page and count are read from one snapshot.
    func messages(applicationId: Int, query: ListQuery) async throws -> ListPage<Message>

    /// Closes every connection. The store is unusable afterwards.
    func close() async throws
}
