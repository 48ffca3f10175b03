import ConfabCore
import ConfabStore
import ConfabTestSupport
import HummingbirdTesting
import Testing

@Suite("Bad input")
struct BadInputTests {
    /// (list, query string, the parameter the 422 must name)
    static let cases: [(String, String, String)] = [
        ("/admin/chat/list", "limit=abc", "limit"),
        ("/admin/chat/list", "limit=-1", "limit"),
        ("/admin/chat/list", "limit=0", "limit"),
        ("/admin/chat/list", "limit=1.5", "limit"),
        ("/admin/chat/list", "limit=", "limit"),
        ("/admin/chat/list", "skip=-1", "skip"),
        ("/admin/chat/list", "skip=ten", "skip"),
        ("/admin/chat/list", "offset=-3", "offset"),
        ("/admin/chat/list", "skip=1&offset=1", "offset"),
        ("/admin/chat/list", "_id[lt]=xyz", "_id[lt]"),
        ("/admin/chat/list", "_id[gt]=620e2b1463ee2a1977b4ee6", "_id[gt]"),
        ("/admin/chat/messages/list", "_id[gte]=620e2b1463ee2a1977b4ee65aa", "_id[gte]"),
        ("/admin/chat/messages/list", "chat_dialog_id=61721539107bd9002fdb84eZ", "chat_dialog_id"),
        ("/admin/chat/list", "chat_dialog_id=61721539107bd9002fdb84ed", "chat_dialog_id"),
        ("/admin/chat/list", "created_at[gt]=yesterday", "created_at[gt]"),
        ("/admin/chat/messages/list", "updated_at[lte]=12.5", "updated_at[lte]"),
        ("/admin/chat/list", "updated_at[ctn]=1687886581", "updated_at[ctn]"),
        ("/admin/chat/messages/list", "created_at[in]=1,x", "created_at[in]"),
        ("/admin/chat/list", "type[gt]=abc", "type[gt]"),
        ("/admin/chat/messages/list", "attachments.type[gte]=image", "attachments.type[gte]"),
        ("/admin/chat/list", "date_sent[gt]=1", "date_sent[gt]"),
        ("/admin/chat/list", "updated_at=yesterday", "updated_at"),
        ("/admin/chat/list", "sort_desc=name", "sort_desc"),
        ("/admin/chat/messages/list", "sort_asc=date_sent", "sort_asc"),
        ("/admin/chat/list", "sort_asc=_id&sort_desc=_id", "sort_desc"),
        ("/admin/chat/list", "limt=10", "limt"),
        ("/admin/chat/messages/list", "limit=5&limit=6", "limit"),
        ("/admin/chat/list", "limit=%ZZ", "limit"),
        ("/admin/chat/list", "limit=%FF", "limit"),
        ("/admin/chat/list", "_id[lt]='%3B%20DROP%20TABLE%20dialogs%3B%20--", "_id[lt]"),
    ]

    @Test("each bad parameter is a 422 naming it, and the server keeps serving", arguments: StoreKind.available)
    func everyBadInput(kind: StoreKind) async throws {
        try await withTestServer(kind) { store in
            Fixtures(main: try await ChatFixture.make(in: store, dialogs: 20, messages: 100))
        } _: { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            for (path, query, parameter) in Self.cases {
                let response = try await api.get("\(path)?\(query)")
                #expect(response.status == .unprocessableContent, "\(query)")
                let errors = try #require(response.errors?.objectValue, "\(query): \(String(buffer: response.body))")
                let messages = try #require(errors[parameter]?.arrayValue, "\(query) names \(parameter): \(errors)")
                #expect(!messages.isEmpty)
                #expect(messages.allSatisfy { ($0.stringValue?.count ?? 0) > 10 }, "\(query) says what is accepted")
            }
            // Every decodable bad parameter at once: one entry each (a broken % escape stops decoding early).
            let all = Self.cases.map(\.1).filter { !$0.hasPrefix("limit=%") }.joined(separator: "&")
            let combined = try await api.get("/admin/chat/list?\(all)")
            #expect(combined.status == .unprocessableContent)
            #expect((combined.errors?.objectValue?.members.count ?? 0) > 10)

            let good = try await api.page("/admin/chat/list?limit=3")
            #expect(good.items.count == 3)
            #expect(good.totalEntries == 20)
            #expect(try await api.page("/admin/chat/messages/list").totalEntries == 100)
        }
    }

    @Test("an unknown path is a 404 with an errors array", arguments: StoreKind.available)
    func unknownPath(kind: StoreKind) async throws {
        try await withTestServer(kind) { client, _ in
            let response = try await AdminAPITestClient(client: client, key: nil).get("/admin/chat/nothing")
            #expect([.notFound, .unauthorized].contains(response.status))
            #expect(response.errors?.arrayValue?.isEmpty == false)
            let plain = try await AdminAPITestClient(client: client, key: nil).get("/nothing/here")
            #expect(plain.status == .notFound)
            #expect(plain.errors?.arrayValue?.isEmpty == false)
        }
    }

    @Test("GET /health answers 200", arguments: StoreKind.available)
    func health(kind: StoreKind) async throws {
        try await withTestServer(kind) { client, _ in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
        }
    }
}
