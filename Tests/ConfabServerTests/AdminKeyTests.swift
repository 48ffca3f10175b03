import ConfabCore
import ConfabStore
import ConfabTestSupport
import HummingbirdTesting
import Testing

@Suite("CB-Administration-API-Key")
struct AdminKeyTests {
    static func prepare(_ store: any ChatStore) async throws -> Fixtures {
        Fixtures(
            main: try await ChatFixture.make(in: store, name: "first", dialogs: 30, messages: 200, seed: 5),
            other: try await ChatFixture.make(in: store, name: "second", dialogs: 12, messages: 50, seed: 6))
    }

    @Test("a missing or wrong key is a 401 with an errors array and no data", arguments: StoreKind.available)
    func rejectsMissingOrWrongKey(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let wrongKeys: [String?] = [
                nil, "", "nope", fixture.credentials.adminAPIKey + "0", fixture.credentials.authSecret,
            ]
            for key in wrongKeys {
                let api = AdminAPITestClient(client: client, key: key)
                for path in ["/admin/chat/list", "/admin/chat/messages/list.json"] {
                    let response = try await api.get(path)
                    #expect(response.status == .unauthorized, "\(String(describing: key)) \(path)")
                    let errors = try #require(response.errors?.arrayValue)
                    #expect(errors.count == 1)
                    let body = String(buffer: response.body)
                    #expect(!body.contains("items"))
                    #expect(!body.contains(fixture.dialogs[0].id.hex))
                }
            }
        }
    }

    @Test("the key is checked before the parameters", arguments: StoreKind.available)
    func keyBeforeParameters(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, _ in
            let api = AdminAPITestClient(client: client, key: "wrong")
            let response = try await api.get("/admin/chat/list?limit=abc&bogus=1")
            #expect(response.status == .unauthorized)
        }
    }

    @Test("each application's key sees only its own dialogs and messages", arguments: StoreKind.available)
    func applicationsAreIsolated(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let first = try fixtures.requireMain()
            let second = try #require(fixtures.other)
            let secondAPI = AdminAPITestClient(client: client, key: second.credentials.adminAPIKey)
            let dialogs = try await secondAPI.page("/admin/chat/list")
            #expect(dialogs.totalEntries == 12)
            #expect(Set(dialogs.ids) == Set(second.dialogs.map(\.id.hex)))
            let messages = try await secondAPI.page("/admin/chat/messages/list")
            #expect(messages.totalEntries == 50)
            #expect(Set(messages.ids) == Set(second.messages.map(\.id.hex)))
            // Asking for the first application's dialog by id finds nothing.
            let foreign = try await secondAPI.page(
                "/admin/chat/messages/list?chat_dialog_id=\(first.dialogs[0].id.hex)")
            #expect(foreign.totalEntries == 0)
            let firstAPI = AdminAPITestClient(client: client, key: first.credentials.adminAPIKey)
            #expect(try await firstAPI.page("/admin/chat/list").totalEntries == 30)
        }
    }
}
