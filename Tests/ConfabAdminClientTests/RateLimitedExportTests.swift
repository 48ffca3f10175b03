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
            // A burst of 6 requests, then one every 5 seconds: the walk's 7th request must wait, and a
            // client asking again at once is refused, however slow the machine.
            configuration.rateLimits = RateLimits(perAdminKey: RateLimit(perSecond: 0.2, burst: 6))
            try await withLiveServer(store: store, configuration: configuration) { url in
                let client = AdminClient(
                    baseURL: url, apiKey: fixture.credentials.adminAPIKey,
                    retry: RetryPolicy(maximumAttempts: 5, initialDelay: .milliseconds(5), maximumDelay: .seconds(6)),
                    pageSize: 100)
                let clock = ContinuousClock()
                let start = clock.now
                let messages = try await client.messages().collect()
                let elapsed = clock.now - start
                #expect(messages.map(\.id) == expectedMessages(fixture, ListQuery()).map(\.id))
                #expect(messages.count == fixture.messages.count)
                // The limit was in force: the walk waited as the server said.
                #expect(elapsed >= .milliseconds(4_900), "\(elapsed)")
                // And a client that does not retry sees the 429 itself: the bucket holds at most its
                // burst of 6, however long the walk took, so 8 quick requests meet a refusal.
                let impatient = AdminClient(
                    baseURL: url, apiKey: fixture.credentials.adminAPIKey, retry: RetryPolicy(maximumAttempts: 1))
                var refused = false
                for _ in 0..<8 where !refused {
                    do { _ = try await impatient.page(AdminMessage.self, limit: 1) } catch { refused = true }
                }
                #expect(refused)
            }
        }
    }
}
