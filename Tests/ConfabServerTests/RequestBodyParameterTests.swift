import ConfabCore
import ConfabStore
import ConfabTestSupport
import HummingbirdTesting
import Testing

/// The reference's curl examples send parameters in the body of a GET (`curl -X GET -d …`).
@Suite("Parameters in the body of a GET")
struct RequestBodyParameterTests {
    static func prepare(_ store: any ChatStore) async throws -> Fixtures {
        Fixtures(main: try await ChatFixture.make(in: store, dialogs: 40, messages: 300))
    }

    @Test("the reference's curl requests work as sent, over a real socket", arguments: StoreKind.available)
    func referenceCurlExamples(kind: StoreKind) async throws {
        try await withTestServer(kind, testing: .live, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let pivot = fixture.dialogs[20].updatedAt
            // curl -X GET -H "CB-Administration-API-Key: <API_KEY>" -d 'updated_at[lt]=1687886581' …/admin/chat/list
            let dialogs = try await api.page("/admin/chat/list", body: "updated_at[lt]=\(pivot)")
            let expectedDialogs = ListOracle.page(fixture.dialogs, query: ListQuery(filters: [.updatedAt(.lt, pivot)]))
            #expect(dialogs.bytes == AdminListJSON.encode(expectedDialogs))
            #expect(dialogs.totalEntries! < 40)

            // curl -X GET … -d '_id[lte]=63834bbecf1efb102da40f2c' …/admin/chat/messages/list
            let id = fixture.messages[150].id
            let messages = try await api.page("/admin/chat/messages/list", body: "_id[lte]=\(id.hex)")
            let expectedMessages = ListOracle.page(fixture.messages, query: ListQuery(filters: [.id(.lte, id)]))
            #expect(messages.bytes == AdminListJSON.encode(expectedMessages))
        }
    }

    @Test("query string and body merge; percent-encoded names work", arguments: StoreKind.available)
    func queryAndBodyMerge(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let pivot = fixture.messages[100].createdAt
            let page = try await api.page(
                "/admin/chat/messages/list?limit=7", body: "created_at%5Bgte%5D=\(pivot)&sort_asc=created_at")
            let expected = ListOracle.page(
                fixture.messages,
                query: ListQuery(
                    filters: [.createdAt(.gte, pivot)], sort: .init(field: .createdAt, direction: .ascending), limit: 7)
            )
            #expect(page.bytes == AdminListJSON.encode(expected))
        }
    }

    @Test("a JSON body of parameters works like the form", arguments: StoreKind.available)
    func jsonBody(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let id = fixture.messages[42].id
            let response = try await api.get(
                "/admin/chat/messages/list", body: #"{"limit":5,"_id":{"lt":"\#(id.hex)"}}"#,
                contentType: "application/json")
            #expect(response.status == .ok)
            let expected = ListOracle.page(fixture.messages, query: ListQuery(filters: [.id(.lt, id)], limit: 5))
            #expect(Array(response.body.readableBytesView) == AdminListJSON.encode(expected))
        }
    }

    @Test("a parameter in both the query string and the body is a 422", arguments: StoreKind.available)
    func duplicateAcrossSources(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let response = try await api.get("/admin/chat/list?limit=5", body: "limit=6")
            #expect(response.status == .unprocessableContent)
            #expect(response.errors?.objectValue?["limit"] != nil)
        }
    }

    @Test("other body types are a 415 and an oversized body a 413", arguments: StoreKind.available)
    func unsupportedBodies(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let xml = try await api.get("/admin/chat/list", body: "<limit>5</limit>", contentType: "application/xml")
            #expect(xml.status == .unsupportedMediaType)
            #expect(xml.errors?.arrayValue?.isEmpty == false)
            let huge = try await api.get("/admin/chat/list", body: "limit=5&" + String(repeating: "a", count: 2 << 20))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.errors?.arrayValue?.map(\.stringValue) == ["A request body may be at most 1048576 bytes"])
        }
    }
}
