import ConfabCore
import ConfabStore
import ConfabTestSupport
import HummingbirdTesting
import Testing

/// Each response body must be byte for byte what the oracle's page encodes to.
@Suite("Admin list filters, sorts and paging over HTTP")
struct AdminListFilterTests {
    static func prepare(_ store: any ChatStore) async throws -> Fixtures {
        Fixtures(main: try await ChatFixture.make(in: store, dialogs: 80, messages: 600, tiedMessages: 150))
    }

    @Test("every operator on every field of both lists", arguments: StoreKind.available)
    func everyOperator(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let message = fixture.messages[fixture.messages.count / 3]
            let dialog = fixture.dialogs[fixture.dialogs.count / 3]
            for comparison in ComparisonOperator.ranges {
                let op = comparison.rawValue
                let messageCases: [(String, ListFilter)] = [
                    ("_id[\(op)]=\(message.id.hex)", .id(comparison, message.id)),
                    ("created_at[\(op)]=\(message.createdAt)", .createdAt(comparison, message.createdAt)),
                    ("updated_at[\(op)]=\(message.updatedAt)", .updatedAt(comparison, message.updatedAt)),
                ]
                for (parameter, filter) in messageCases {
                    let page = try await api.page("/admin/chat/messages/list?\(parameter)")
                    let expected = ListOracle.page(fixture.messages, query: ListQuery(filters: [filter]))
                    #expect(page.bytes == AdminListJSON.encode(expected), "\(parameter)")
                }
                let dialogCases: [(String, ListFilter)] = [
                    ("_id[\(op)]=\(dialog.id.hex)", .id(comparison, dialog.id)),
                    ("created_at[\(op)]=\(dialog.createdAt)", .createdAt(comparison, dialog.createdAt)),
                    ("updated_at[\(op)]=\(dialog.updatedAt)", .updatedAt(comparison, dialog.updatedAt)),
                ]
                for (parameter, filter) in dialogCases {
                    let page = try await api.page("/admin/chat/list?\(parameter)")
                    let expected = ListOracle.page(fixture.dialogs, query: ListQuery(filters: [filter]))
                    #expect(page.bytes == AdminListJSON.encode(expected), "\(parameter)")
                }
            }
        }
    }

    @Test(
        "every Retrieve filter of both lists, as a client writes it, matches the oracle", arguments: StoreKind.available
    )
    func retrieveFilters(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepareVaried) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            for filter in ListFilterCases.filters(fixture, .dialogs) {
                let parameter = ListFilterCases.parameter(filter)
                let page = try await api.page("/admin/chat/list?\(parameter)&limit=30")
                let expected = ListOracle.page(fixture.dialogs, query: ListQuery(filters: [filter], limit: 30))
                #expect(page.bytes == AdminListJSON.encode(expected), "\(parameter)")
            }
            for filter in ListFilterCases.filters(fixture, .messages) {
                let parameter = ListFilterCases.parameter(filter)
                let page = try await api.page("/admin/chat/messages/list?\(parameter)&limit=30")
                let expected = ListOracle.page(fixture.messages, query: ListQuery(filters: [filter], limit: 30))
                #expect(page.bytes == AdminListJSON.encode(expected), "\(parameter)")
            }
            // `type[in]=2,3`, as the Admin API's documentation writes it.
            let typed = try await api.page("/admin/chat/list?type[in]=2,3")
            let twoOrThree = fixture.dialogs.filter { [2, 3].contains($0.type.rawValue) }.count
            #expect(typed.totalEntries == Int64(twoOrThree))
            #expect(twoOrThree > 0 && twoOrThree < fixture.dialogs.count)
        }
    }

    @Test("a value of the wrong kind, and an operator a field does not take, are refused by name")
    func wrongKinds() async throws {
        try await withTestServer(.sqlite, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            for (path, parameter) in [
                ("/admin/chat/list?type[gt]=abc", "type[gt]"), ("/admin/chat/list?name[gt]=a&sender_id=1", "sender_id"),
                ("/admin/chat/messages/list?attachments.type[lt]=x", "attachments.type[lt]"),
                ("/admin/chat/messages/list?date_sent[in]=1,x", "date_sent[in]"),
            ] {
                let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
                let response = try await api.get(path)
                #expect(response.status == .unprocessableContent, "\(path)")
                let errors = try JSONParser.parse(Array(response.body.readableBytesView)).objectValue?["errors"]?
                    .objectValue
                #expect(errors?[parameter] != nil, "\(path): \(String(buffer: response.body))")
            }
        }
    }

    static func prepareVaried(_ store: any ChatStore) async throws -> Fixtures {
        Fixtures(main: try await ChatFixture.make(in: store, dialogs: 60, messages: 400, varied: true))
    }

    @Test("a row shown as T matches [gte]=T and [lte]=T but not [gt]=T", arguments: StoreKind.available)
    func shownTimeIsComparedTime(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let first = try #require(try await api.page("/admin/chat/messages/list?limit=1").items.first)
            let id = try #require(first["_id"]?.stringValue)
            let message = try #require(fixture.messages.first { $0.id.hex == id })
            #expect(first["created_at"]?.stringValue == UTCTimestamp.iso8601(message.createdAt))
            let t = message.createdAt
            let inRange = try await api.page("/admin/chat/messages/list?created_at[gte]=\(t)&created_at[lte]=\(t)")
            #expect(inRange.ids.contains(id))
            let after = try await api.page("/admin/chat/messages/list?created_at[gt]=\(t)&created_at[lte]=\(t)")
            #expect(after.totalEntries == 0)
        }
    }

    @Test("ranges, chat_dialog_id, sorts, skip and offset match the oracle", arguments: StoreKind.available)
    func combinations(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let dialogId = fixture.messages[10].chatDialogId
            let low = fixture.messages.map(\.createdAt).sorted()[100]
            let high = fixture.messages.map(\.createdAt).sorted()[500]
            let cases: [(String, ListQuery)] = [
                (
                    "created_at[gte]=\(low)&created_at[lt]=\(high)&sort_asc=created_at&limit=50",
                    ListQuery(
                        filters: [.createdAt(.gte, low), .createdAt(.lt, high)],
                        sort: .init(field: .createdAt, direction: .ascending), limit: 50)
                ),
                (
                    "chat_dialog_id=\(dialogId.hex)&sort_desc=updated_at",
                    ListQuery(chatDialogId: dialogId, sort: .init(field: .updatedAt, direction: .descending))
                ),
                (
                    "chat_dialog_id=\(dialogId.hex.uppercased())&sort_asc=_id&skip=2&limit=3",
                    ListQuery(chatDialogId: dialogId, sort: .init(field: .id, direction: .ascending), limit: 3, skip: 2)
                ),
                (
                    "sort_asc=updated_at&offset=140&limit=20",
                    ListQuery(sort: .init(field: .updatedAt, direction: .ascending), limit: 20, skip: 140)
                ),
                (
                    "sort_desc=created_at&skip=5",
                    ListQuery(sort: .init(field: .createdAt, direction: .descending), skip: 5)
                ),
                (
                    "updated_at[gt]=\(low)&updated_at[lte]=\(high)&_id[gte]=\(fixture.messages[0].id.hex)",
                    ListQuery(filters: [
                        .updatedAt(.gt, low), .updatedAt(.lte, high), .id(.gte, fixture.messages[0].id),
                    ])
                ),
            ]
            for (parameters, query) in cases {
                let page = try await api.page("/admin/chat/messages/list?\(parameters)")
                #expect(
                    page.bytes == AdminListJSON.encode(ListOracle.page(fixture.messages, query: query)), "\(parameters)"
                )
            }
        }
    }

    @Test("150 messages with one timestamp page by skip with no repeats or gaps", arguments: StoreKind.available)
    func tiesPage(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            for sort in ["sort_asc=updated_at", "sort_desc=updated_at", "sort_asc=created_at", "sort_desc=created_at"] {
                var ids = [String]()
                for skip in stride(from: 0, to: 150, by: 40) {
                    let page = try await api.page(
                        "/admin/chat/messages/list?updated_at[gte]=1710000000&updated_at[lte]=1710000000&\(sort)&limit=40&skip=\(skip)"
                    )
                    #expect(page.totalEntries == 150)
                    ids += page.ids
                }
                #expect(ids.count == 150, "\(sort)")
                #expect(Set(ids).count == 150, "\(sort)")
                #expect(ids == (sort.hasPrefix("sort_asc") ? ids.sorted() : ids.sorted(by: >)), "\(sort) ties by _id")
            }
        }
    }

    @Test("a limit over 100 is answered with 100 rows and \"limit\":100", arguments: StoreKind.available)
    func limitIsCapped(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            for limit in ["101", "1000", "99999999999999999999999"] {
                let page = try await api.page("/admin/chat/messages/list?limit=\(limit)")
                #expect(page.limit == 100)
                #expect(page.items.count == 100)
            }
            let defaultPage = try await api.page("/admin/chat/list")
            #expect(defaultPage.limit == 100)
            #expect(defaultPage.skip == 0)
            #expect(defaultPage.items.count == 80)
            let offset = try await api.page("/admin/chat/list?offset=70")
            #expect(offset.skip == 70)
            #expect(offset.items.count == 10)
        }
    }

    @Test("both lists answer with the .json suffix too", arguments: StoreKind.available)
    func jsonSuffix(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            #expect(
                try await api.page("/admin/chat/list.json?limit=5").bytes == api.page("/admin/chat/list?limit=5").bytes)
            #expect(
                try await api.page("/admin/chat/messages/list.json?limit=5").bytes
                    == api.page("/admin/chat/messages/list?limit=5").bytes)
        }
    }
}
