import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// The reference's NodeJS example, step by step, over real HTTP.
@Suite("The reference NodeJS export algorithm")
struct ReferencePaginationTests {
    @Test("exports every dialog and every message exactly once, with the right total", arguments: StoreKind.available)
    func exportsEverything(kind: StoreKind) async throws {
        try await withTestServer(kind, testing: .live) { store in
            Fixtures(main: try await ChatFixture.make(in: store, dialogs: 1_234, messages: 2_345))
        } _: { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            for (url, expected) in [
                ("/admin/chat/list", fixture.dialogs.map(\.id.hex)),
                ("/admin/chat/messages/list", fixture.messages.map(\.id.hex)),
            ] {
                let all = try await exportLikeTheReference(api: api, url: url)
                #expect(all.totalEntries == expected.count, "\(url) total_entries")
                #expect(all.ids.count == expected.count, "\(url) rows received")
                #expect(Set(all.ids).count == all.ids.count, "\(url) no row twice")
                #expect(Set(all.ids) == Set(expected), "\(url) every row")
                #expect(all.ids == all.ids.sorted(by: >), "\(url) newest first")
            }
        }
    }

    /// `const firstResponse = await fetch(`${url}?limit=${limit}`)` … `_id[lt]=${lastId}` …
    private func exportLikeTheReference(api: AdminAPITestClient, url: String) async throws -> (
        totalEntries: Int, ids: [String]
    ) {
        let limit = 100
        let first = try await api.page("\(url)?limit=\(limit)")
        let totalEntries = Int(try #require(first.totalEntries))
        var all = first.ids
        let totalBatchesCount = Int((Double(totalEntries) / Double(limit)).rounded(.up))
        for _ in 1..<max(1, totalBatchesCount) {
            let lastId = try #require(all.last)
            let page = try await api.page("\(url)?limit=\(limit)&_id[lt]=\(lastId)")
            all += page.ids
        }
        return (totalEntries, all)
    }
}
