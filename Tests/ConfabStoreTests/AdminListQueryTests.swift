import ConfabCore
import ConfabStore
import ConfabTestSupport
import Testing

@Suite("Admin list queries against the oracle")
struct AdminListQueryTests {
    @Test("every field × operator on dialogs and messages matches the oracle", arguments: StoreKind.available)
    func everyOperatorOnEveryField(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 120, messages: 900, tiedMessages: 30)
            let appId = fixture.application.id
            let pivotMessage = fixture.messages[fixture.messages.count / 2]
            let pivotDialog = fixture.dialogs[fixture.dialogs.count / 2]
            for comparison in ComparisonOperator.ranges {
                let messageFilters: [ListFilter] = [
                    .id(comparison, pivotMessage.id), .createdAt(comparison, pivotMessage.createdAt),
                    .updatedAt(comparison, pivotMessage.updatedAt),
                ]
                for filter in messageFilters {
                    let query = ListQuery(filters: [filter])
                    let page = try await store.messages(applicationId: appId, query: query)
                    let expected = ListOracle.page(fixture.messages, query: query)
                    #expect(page == expected, "messages \(filter)")
                    #expect(page.totalEntries > 0 && page.totalEntries < fixture.messages.count, "\(filter) splits")
                }
                let dialogFilters: [ListFilter] = [
                    .id(comparison, pivotDialog.id), .createdAt(comparison, pivotDialog.createdAt),
                    .updatedAt(comparison, pivotDialog.updatedAt),
                ]
                for filter in dialogFilters {
                    let query = ListQuery(filters: [filter])
                    let page = try await store.dialogs(applicationId: appId, query: query)
                    #expect(page == ListOracle.page(fixture.dialogs, query: query), "dialogs \(filter)")
                }
            }
        }
    }

    @Test("ranges, chat_dialog_id, sorts, skip and limit match the oracle", arguments: StoreKind.available)
    func randomQueriesMatchOracle(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 150, messages: 1_500, tiedMessages: 40)
            let appId = fixture.application.id
            for query in fixture.randomQueries(count: 150, collection: .messages, seed: 11) {
                let page = try await store.messages(applicationId: appId, query: query)
                #expect(page == ListOracle.page(fixture.messages, query: query), "\(query)")
            }
            for query in fixture.randomQueries(count: 100, collection: .dialogs, seed: 12) {
                let page = try await store.dialogs(applicationId: appId, query: query)
                #expect(page == ListOracle.page(fixture.dialogs, query: query), "\(query)")
            }
        }
    }

    @Test("rows sharing a timestamp page by skip without repeats or gaps", arguments: StoreKind.available)
    func tiesPageWithoutRepeats(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 2, messages: 10, tiedMessages: 250)
            let tieTime: Int64 = 1_710_000_000
            for field in [ListField.createdAt, .updatedAt] {
                for direction in [ListSort.Direction.ascending, .descending] {
                    var seen = [ObjectId]()
                    var skip = 0
                    var total = 0
                    repeat {
                        let filter: ListFilter =
                            field == .createdAt ? .createdAt(.gte, tieTime) : .updatedAt(.gte, tieTime)
                        let query = ListQuery(
                            filters: [
                                filter, field == .createdAt ? .createdAt(.lte, tieTime) : .updatedAt(.lte, tieTime),
                            ],
                            sort: ListSort(field: field, direction: direction), limit: 100, skip: skip)
                        let page = try await store.messages(applicationId: fixture.application.id, query: query)
                        total = page.totalEntries
                        seen += page.items.map(\.id)
                        skip += 100
                    } while skip < total
                    #expect(total == 250)
                    #expect(seen.count == 250)
                    #expect(Set(seen).count == 250)
                    let sorted = direction == .ascending ? seen.sorted() : seen.sorted().reversed()
                    #expect(seen == sorted, "ties are ordered by _id \(direction)")
                }
            }
        }
    }

    @Test("a skip past the end gives no items but the right total", arguments: StoreKind.available)
    func skipPastEnd(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 10, messages: 50)
            let page = try await store.messages(applicationId: fixture.application.id, query: ListQuery(skip: 1_000))
            #expect(page.items.isEmpty)
            #expect(page.totalEntries == 50)
            #expect(page.skip == 1_000)
        }
    }
}

@Suite("Admin list filters of Retrieve Dialogs and Retrieve Messages against the oracle")
struct RetrieveFilterTests {
    @Test("every field and operator of both admin grammars, alone and after a range", arguments: StoreKind.available)
    func everyRetrieveFilter(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 90, messages: 700, varied: true)
            let appId = fixture.application.id
            var splitting = 0
            for collection in [ChatCollection.dialogs, .messages] {
                let filters = ListFilterCases.filters(fixture, collection)
                #expect(Set(filters.map(\.field)).count == ListGrammar.admin(collection).fields.count)
                for filter in filters {
                    let pivot = collection == .dialogs ? fixture.dialogs[30].createdAt : fixture.messages[300].createdAt
                    for query in [
                        ListQuery(filters: [filter]), ListQuery(filters: [.createdAt(.gte, pivot), filter], limit: 7),
                    ] {
                        if collection == .dialogs {
                            let page = try await store.dialogs(applicationId: appId, query: query)
                            let expected = ListOracle.page(fixture.dialogs, query: query)
                            #expect(page == expected, "dialogs \(filter)")
                            if (1..<fixture.dialogs.count).contains(expected.totalEntries) { splitting += 1 }
                        } else {
                            let page = try await store.messages(applicationId: appId, query: query)
                            let expected = ListOracle.page(fixture.messages, query: query)
                            #expect(page == expected, "messages \(filter)")
                            if (1..<fixture.messages.count).contains(expected.totalEntries) { splitting += 1 }
                        }
                    }
                }
            }
            // Most filters pick some rows and leave others: the comparison means something.
            #expect(splitting > 100, "\(splitting) queries split the rows")
        }
    }

    @Test("ne and nin match a row without the field; the other operators never do", arguments: StoreKind.available)
    func absentFields(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 40, messages: 200, varied: true)
            let appId = fixture.application.id
            let unnamed = fixture.dialogs.filter { $0.name == nil }.count
            #expect(unnamed > 0)
            let ne = try await store.dialogs(
                applicationId: appId, query: ListQuery(filters: [ListFilter(.name, .ne, [.text("nobody")])]))
            #expect(ne.totalEntries == fixture.dialogs.count)
            let gt = try await store.dialogs(
                applicationId: appId, query: ListQuery(filters: [ListFilter(.name, .gt, [.text("")])]))
            #expect(gt.totalEntries == fixture.dialogs.count - unnamed)
            let noImage = try await store.messages(
                applicationId: appId, query: ListQuery(filters: [ListFilter(.attachmentsType, .nin, [.text("image")])]))
            let withImage = fixture.messages.filter { $0.attachments.contains { $0["type"]?.stringValue == "image" } }
            #expect(noImage.totalEntries == fixture.messages.count - withImage.count)
            // A type that is a number is no text: `5` matches nothing.
            let five = try await store.messages(
                applicationId: appId, query: ListQuery(filters: [ListFilter(.attachmentsType, .eq, [.text("5")])]))
            #expect(five.totalEntries == 0)
        }
    }
}
