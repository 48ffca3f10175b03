import ConfabAdminClient
import ConfabCore
import ConfabServer
import ConfabStore
import ConfabTestSupport
import Testing

@Suite("An export through the server's rate limit")
struct RateLimitedExportTests {
    @Test(
        "the SDK waits as Retry-After says and the export is still exact: every row once, in order",
        arguments: StoreKind.available)
    func exportThroughTightLimit(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 25, messages: 600, tiedMessages: 30)
            var configuration = ServerConfiguration(port: 0)
            // A burst of 4 pages, then 4 pages a second: 13 pages need several 429s.
            configuration.rateLimits = RateLimits(perAdminKey: RateLimit(perSecond: 4, burst: 4))
            try await withLiveServer(store: store, configuration: configuration) { url in
                let client = AdminClient(
                    baseURL: url, apiKey: fixture.credentials.adminAPIKey,
                    retry: RetryPolicy(maximumAttempts: 20, initialDelay: .milliseconds(5), maximumDelay: .seconds(2)),
                    pageSize: 50)
                let messages = try await client.messages().collect()
                #expect(messages.map(\.id) == expectedMessages(fixture, ListQuery()).map(\.id))
                #expect(messages.count == fixture.messages.count)
                // And the limit was really in force: the next request is refused.
                var refused = false
                for _ in 0..<8 where !refused {
                    do {
                        _ = try await AdminClient(
                            baseURL: url, apiKey: fixture.credentials.adminAPIKey,
                            retry: RetryPolicy(maximumAttempts: 1)
                        ).page(AdminMessage.self, limit: 1)
                    } catch {
                        refused = true
                    }
                }
                #expect(refused)
            }
        }
    }
}
