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

    /// How busy each of the store's connection pools is now.
    func poolUsage() -> [StorePoolUsage]

    /// The administration key `adminAPIKey` if it is accepted at `now` (not revoked, not past the
    /// grace of a rotation): its application, name and scope.
    func adminKey(_ adminAPIKey: String, at now: Int64) async throws -> AdminKeyGrant?
    /// Records that a key was accepted at `now` (`AdminKeyInfo.lastUsedAt`).
    func recordAdminKeyUse(keyId: Int64, at now: Int64) async throws
    /// The application's keys accepted at `now`, oldest first; never the keys themselves.
    func adminKeys(applicationId: Int, at now: Int64) async throws -> [AdminKeyInfo]
    /// A new key with a name no accepted key of the application has; the key is answered once.
    func createAdminKey(applicationId: Int, name: String, scope: AdminKeyScope, at now: Int64) async throws -> String
    /// Deletes every key of the application with that name; answers how many.
    func revokeAdminKey(applicationId: Int, name: String) async throws -> Int
    /// A new key in place of the one named `name`, with its scope; the old one stays accepted
    /// for `graceSeconds`. `nil` when the application has no such key.
    func rotateAdminKey(applicationId: Int, name: String, graceSeconds: Int64, at now: Int64) async throws
        -> (key: String, scope: AdminKeyScope)?

    /// The application whose administration key is `adminAPIKey`, or `nil`.
    /// The key is compared by hash, in constant time.
    func application(adminAPIKey: String) async throws -> ChatApplication?

    /// The application with this id, or `nil`.
    func application(id: Int) async throws -> ChatApplication?

    /// The application's `auth_secret`, the key of its session signatures; `nil` if there is no
    /// such application.
    func authSecret(applicationId: Int) async throws -> String?

    /// Every application, oldest first.
    func applications() async throws -> [ChatApplication]

    /// Writes dialogs and messages that are complete already (bulk loading, seeding), in one
    /// transaction.
    ///
    /// - Throws: `StoreError.unknownApplication` if `applicationId` does not exist;
    ///   `StoreError.conflict` if an id is taken in that application;
    ///   `StoreError.unstorableValue` if a text field or custom field contains NUL, which neither
    ///   SQLite nor PostgreSQL keeps. Nothing is written then.
    func insert(dialogs: [Dialog], messages: [Message], applicationId: Int) async throws

    /// Writes those of `dialogs` and `messages` whose ids the application does not hold yet, in
    /// one transaction, and leaves the others as they are: loading the same rows twice changes
    /// nothing (`confab import`). An id given twice is written once, the first time.
    ///
    /// - Returns: how many dialogs and messages were new.
    /// - Throws: as `insert(dialogs:messages:applicationId:)`, but never `StoreError.conflict`.
    func insertNew(dialogs: [Dialog], messages: [Message], applicationId: Int) async throws -> InsertedRows

    /// One page of the application's dialogs, with the count of all that match.
    /// Page and count are read from one snapshot: of the read replica when the store has one.
    func dialogs(applicationId: Int, query: ListQuery) async throws -> ListPage<Dialog>

    /// One page of the application's messages, with the count of all that match.
    /// Page and count are read from one snapshot: of the read replica when the store has one.
    func messages(applicationId: Int, query: ListQuery) async throws -> ListPage<Message>

    /// Every dialog `query` matches, by its filters and sort (its `limit` and `skip` are not
    /// used), handed to `body` `batchRows` at a time, all from one read snapshot: rows written
    /// or deleted while it runs are not seen. `body`'s awaiting is the export's backpressure;
    /// whatever it throws ends the export and its transaction, and is rethrown.
    func exportDialogs(
        applicationId: Int, query: ListQuery, batchRows: Int, _ body: @Sendable ([Dialog]) async throws -> Void
    ) async throws

    /// The same for messages.
    func exportMessages(
        applicationId: Int, query: ListQuery, batchRows: Int, _ body: @Sendable ([Message]) async throws -> Void
    ) async throws

    // MARK: Statistics

    /// How many of the application's rows `query` counts (`admin-stats-api.md`): messages by
    /// `date_sent`, dialogs by `created_at` and type, as they are now. From day counters and at
    /// most two partial days, never a scan of all rows; on the read replica when there is one.
    func statisticsTotal(applicationId: Int, query: StatsQuery) async throws -> Int

    /// The same per UTC day: the days with at least one row, ascending, `query.days`'s window of
    /// them (the default window when it has none).
    func statisticsPerDay(applicationId: Int, query: StatsQuery) async throws -> [DayCount]

    // MARK: Change feed

    /// Up to `limit` of the application's changes after `start`, in commit order
    /// (docs/change-feed.md): each dialog and message changed since, as it is now, and a
    /// tombstone for each deleted; several changes of one row appear once, at its latest.
    /// Read from one snapshot, on the read replica when the store has one.
    ///
    /// - Throws: `StoreError.expiredCursor` for a cursor from before the tombstones kept.
    func changes(applicationId: Int, from start: ChangeStart, limit: Int) async throws -> ChangePage

    /// Drops the tombstones of transactions that deleted before `deletedBefore` (unix seconds);
    /// cursors from before them expire. Returns how many went.
    func purgeChanges(deletedBefore: Int64) async throws -> Int

    /// Makes the application's rows what `changes` say, in one transaction, in order: an upsert
    /// writes the row whole (inserting it when missing), a tombstone deletes it (nothing when it
    /// is gone). Applying the same changes twice changes nothing more. `mirrorState`, when
    /// given, is saved in the same transaction: a copy that stops never applies a page twice.
    func apply(_ changes: [ChatChange], applicationId: Int, mirrorState: MirrorState?) async throws

    // MARK: Mirrors

    /// Makes the application with this id exist, answering to `adminAPIKey` (only its hash is
    /// kept), with chat API keys of its own: what `confab mirror` copies another server's
    /// application into. An application with this id gets this key.
    func adoptApplication(id: Int, name: String, adminAPIKey: String, createdAt: Int64) async throws -> ChatApplication

    /// What `confab mirror` saved of its copy of the application, or `nil`.
    func mirrorState(applicationId: Int) async throws -> MirrorState?

    func saveMirrorState(_ state: MirrorState, applicationId: Int) async throws

    // MARK: Users

    /// Creates a user of `user.applicationId` (whose `id` is ignored: the store assigns it) with
    /// the bcrypt hash of their password.
    ///
    /// - Throws: `StoreError.taken("login")` or `StoreError.taken("email")` if another user of
    ///   the application has it; `StoreError.unknownApplication`.
    func createUser(_ user: ChatUser, passwordHash: String) async throws -> ChatUser

    /// Writes every field of `user` but its ids and `created_at`, and the password if given.
    /// Throws `StoreError.taken` if another user has its login, email or external user id.
    func updateUser(_ user: ChatUser, passwordHash: String?) async throws

    func user(applicationId: Int, id: Int) async throws -> ChatUser?

    /// The user with this id, login, email or external user id.
    func user(applicationId: Int, by key: UserKey) async throws -> ChatUser?

    /// One page of the users `query` finds, with the count of all it finds.
    func users(applicationId: Int, query: UserQuery) async throws -> ListPage<ChatUser>

    /// The user with this login (or, if `login` is nil, this email) and their password hash.
    func userCredentials(applicationId: Int, login: String?, email: String?) async throws
        -> (user: ChatUser, passwordHash: String)?

    /// Deletes the user and their sessions; their dialogs and messages stay, as history.
    /// Returns whether the user existed.
    func deleteUser(applicationId: Int, id: Int) async throws -> Bool

    // MARK: Sessions

    /// Remembers that (`timestamp`, `nonce`) signed a session request, and forgets those signed
    /// before `forgetBefore`, which can no longer be replayed. Returns `false` if the pair was
    /// used already: a replay.
    func useNonce(applicationId: Int, timestamp: Int64, nonce: Int64, forgetBefore: Int64) async throws -> Bool

    /// Opens a session. Only the SHA-256 hash of `token` is kept.
    func createSession(
        applicationId: Int, userId: Int?, token: String, nonce: Int64, timestamp: Int64, now: Int64
    ) async throws -> ChatSession

    /// The live session of `token`, its expiry moved to `now + SessionPolicy.lifetime`; `nil` if
    /// there is none or it expired.
    func touchSession(token: String, now: Int64) async throws -> ChatSession?

    /// Makes a session a user's (`POST /login`), or the application's again with `nil` (`DELETE /login`).
    func signIn(sessionId: Int, userId: Int?, now: Int64) async throws -> ChatSession

    /// Ends the session of `token`. Returns whether there was one.
    func deleteSession(token: String) async throws -> Bool

    // MARK: Dialogs and messages

    /// Runs `body` on one consistent snapshot of the application's data.
    func read<Result: Sendable>(
        applicationId: Int,
        _ body: @Sendable (ChatTransaction) async throws -> Result
    ) async throws -> Result

    /// Runs `body` in one write transaction: everything it changes is committed together when it
    /// returns, or nothing when it throws (whatever it throws is rethrown).
    func write<Result: Sendable>(
        applicationId: Int,
        _ body: @Sendable (ChatTransaction) async throws -> Result
    ) async throws -> Result

    /// Closes every connection. The store is unusable afterwards.
    func close() async throws
}

/// What finds one user of an application: `GET /users/{id}`, `/users/by_login`, `/users/by_email`,
/// `/users/external/{id}`.
public enum UserKey: Sendable {
    case id(Int)
    case login(String)
    case email(String)
    case externalUserId(Int64)
}

extension ChatStore {
    /// `apply(_:applicationId:mirrorState:)` without a mirror's state.
    public func apply(_ changes: [ChatChange], applicationId: Int) async throws {
        try await apply(changes, applicationId: applicationId, mirrorState: nil)
    }
}
