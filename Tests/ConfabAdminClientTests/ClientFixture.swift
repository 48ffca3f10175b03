import ConfabAdminClient
import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation

/// Retries without the real waits: tests of the retry path take milliseconds.
let quickRetry = RetryPolicy(maximumAttempts: 4, initialDelay: .milliseconds(5), maximumDelay: .seconds(2))

/// A fresh store of `kind` with a fixture (30 messages sharing one second, for ties across
/// pages), served on a real port behind `script`, and a client with the fixture's admin key.
func withServedFixture(
    _ kind: StoreKind,
    script: RequestScript = RequestScript(),
    pageSize: Int = 7,
    _ body: @escaping @Sendable (AdminClient, ChatFixture) async throws -> Void
) async throws {
    try await withTemporaryStore(kind) { store in
        let fixture = try await ChatFixture.make(in: store, dialogs: 25, messages: 600, tiedMessages: 30)
        try await withLiveServer(store: store, script: script) { url in
            let client = AdminClient(
                baseURL: url, apiKey: fixture.credentials.adminAPIKey, retry: quickRetry, pageSize: pageSize)
            try await body(client, fixture)
        }
    }
}

/// An item as the admin list writes it, parsed: what the client must hand over unchanged.
func adminJSON(_ message: Message) throws -> JSONObject {
    var writer = JSONWriter()
    AdminListJSON.write(message, to: &writer)
    return try JSONParser.parse(writer.bytes).objectValue ?? JSONObject()
}

func adminJSON(_ dialog: Dialog) throws -> JSONObject {
    var writer = JSONWriter()
    AdminListJSON.write(dialog, to: &writer)
    return try JSONParser.parse(writer.bytes).objectValue ?? JSONObject()
}

func seconds(_ value: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(value)) }

/// Everything a list query matches, in its order: the oracle's answer without paging.
func expectedMessages(_ fixture: ChatFixture, _ query: ListQuery) -> [Message] {
    var all = query
    all.limit = Int.max
    return ListOracle.page(fixture.messages, query: all).items
}

func expectedDialogs(_ fixture: ChatFixture, _ query: ListQuery) -> [Dialog] {
    var all = query
    all.limit = Int.max
    return ListOracle.page(fixture.dialogs, query: all).items
}

extension AsyncSequence {
    func collect() async throws -> [Element] {
        var elements = [Element]()
        for try await element in self { elements.append(element) }
        return elements
    }
}
