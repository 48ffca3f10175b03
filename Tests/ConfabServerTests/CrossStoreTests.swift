import ConfabCore
import ConfabStore
import ConfabTestSupport
import HummingbirdTesting
import Testing

/// The same synthetic data in SQLite and in PostgreSQL answers the same admin-list requests
/// with the same bytes.
@Suite("SQLite and PostgreSQL agree")
struct CrossStoreTests {
    @Test(
        "identical admin-list pages for a fixed set of queries",
        .enabled(if: StoreKind.available.contains(.postgres), "needs CONFAB_TEST_POSTGRES_URL"))
    func identicalPages() async throws {
        try await withTestServer(.sqlite, prepare: Self.prepare) { sqliteClient, sqliteFixtures in
            try await withTestServer(.postgres, prepare: Self.prepare) { postgresClient, postgresFixtures in
                let fixture = try sqliteFixtures.requireMain()
                let sqlite = AdminAPITestClient(client: sqliteClient, key: fixture.credentials.adminAPIKey)
                let postgres = AdminAPITestClient(
                    client: postgresClient, key: try postgresFixtures.requireMain().credentials.adminAPIKey)
                var nonEmpty = 0
                for path in Self.requests(for: fixture) {
                    let left = try await sqlite.page(path)
                    let right = try await postgres.page(path)
                    #expect(left.bytes == right.bytes, "\(path)")
                    if !left.items.isEmpty { nonEmpty += 1 }
                }
                // The comparison means something only if most pages hold rows.
                #expect(nonEmpty >= 50, "\(nonEmpty) of the pages had rows")
            }
        }
    }

    @Sendable static func prepare(_ store: any ChatStore) async throws -> Fixtures {
        Fixtures(
            main: try await ChatFixture.make(in: store, dialogs: 120, messages: 1_500, tiedMessages: 120, varied: true))
    }

    /// Every filter operator on every field, every sort, paging near the ends, a dialog's
    /// messages, and bounds both on rows and between them; the same list on every run.
    static func requests(for fixture: ChatFixture) -> [String] {
        var random = SeededRandomNumberGenerator(seed: 2026)
        var paths = [
            "/admin/chat/list", "/admin/chat/messages/list", "/admin/chat/list?limit=100&skip=100",
            "/admin/chat/messages/list?limit=100&offset=1450", "/admin/chat/messages/list?skip=5000",
        ]
        for (path, rows) in [
            ("/admin/chat/list", fixture.dialogs as [any ListedRow]),
            ("/admin/chat/messages/list", fixture.messages as [any ListedRow]),
        ] {
            for _ in 0..<40 {
                var parameters: [String] = []
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let row = rows.randomElement(using: &random)!
                    let op = ["lt", "lte", "gt", "gte"].randomElement(using: &random)!
                    let nudge = Int64.random(in: -1...1, using: &random)
                    let parameter =
                        switch Int.random(in: 0..<3, using: &random) {
                        case 0: "_id[\(op)]=\(row.id.hex)"
                        case 1: "created_at[\(op)]=\(row.createdAt + nudge)"
                        default: "updated_at[\(op)]=\(row.updatedAt + nudge)"
                        }
                    // Each parameter once: a repeated one is a 422.
                    let name = parameter.prefix { $0 != "=" }
                    if !parameters.contains(where: { $0.hasPrefix(name + "=") }) { parameters.append(parameter) }
                }
                let field = ["_id", "created_at", "updated_at"].randomElement(using: &random)!
                parameters.append("\(Bool.random(using: &random) ? "sort_asc" : "sort_desc")=\(field)")
                parameters.append("limit=\([1, 10, 100].randomElement(using: &random)!)")
                parameters.append("skip=\([0, 0, 7, 90].randomElement(using: &random)!)")
                if path.hasSuffix("messages/list"), Bool.random(using: &random) {
                    parameters =
                        ["chat_dialog_id=\(fixture.messages.randomElement(using: &random)!.chatDialogId.hex)"]
                        + parameters.suffix(3)
                }
                paths.append("\(path)?\(parameters.joined(separator: "&"))")
            }
        }
        // Every Retrieve filter, alone and with a sort and paging.
        for (path, collection) in [
            ("/admin/chat/list", ChatCollection.dialogs), ("/admin/chat/messages/list", .messages),
        ] {
            for filter in ListFilterCases.filters(fixture, collection) {
                let sort = ["sort_asc=created_at", "sort_desc=updated_at", "sort_asc=_id"].randomElement(
                    using: &random)!
                paths.append("\(path)?\(ListFilterCases.parameter(filter))&\(sort)&limit=20&skip=3")
            }
        }
        return paths
    }
}
