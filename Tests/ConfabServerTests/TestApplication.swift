import ConfabServer
import ConfabStore
import ConfabTestSupport
import HummingbirdTesting
import Testing

/// Builds the same application the binary runs, on a fresh store of `kind`, and hands the test
/// a client for it, through the router (`.router`) or a real port (`.live`).
func withTestServer<Result: Sendable>(
    _ kind: StoreKind,
    testing: TestingSetup = .router,
    configuration: ServerConfiguration = ServerConfiguration(port: 0),
    prepare: (any ChatStore) async throws -> Fixtures = { _ in Fixtures() },
    _ body: @escaping @Sendable (any TestClientProtocol, Fixtures) async throws -> Result
) async throws -> Result {
    try await withTemporaryStore(kind) { store in
        let fixtures = try await prepare(store)
        let application = buildApplication(configuration, store: store)
        return try await application.test(testing) { client in try await body(client, fixtures) }
    }
}

/// What a test prepared in the store before the server started.
struct Fixtures: Sendable {
    var main: ChatFixture?
    var other: ChatFixture?

    func requireMain() throws -> ChatFixture {
        try #require(main, "the test prepared no main fixture")
    }
}
