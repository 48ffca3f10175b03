import ConfabCore
import ConfabData
import ConfabStore
import ConfabTestSupport
import Testing

@Suite("Writing dialogs and messages")
struct BulkInsertTests {
    @Test("every field of every dialog and message reads back unchanged", arguments: StoreKind.available)
    func roundTripsEveryField(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 150, messages: 1_200)
            let appId = fixture.application.id
            let dialogs = try await everyRow {
                try await store.dialogs(applicationId: appId, query: ListQuery(skip: $0))
            }
            #expect(dialogs.sorted { $0.id < $1.id } == fixture.dialogs.sorted { $0.id < $1.id })
            let messages = try await everyRow {
                try await store.messages(applicationId: appId, query: ListQuery(skip: $0))
            }
            #expect(messages.count == 1_200)
            #expect(messages.sorted { $0.id < $1.id } == fixture.messages.sorted { $0.id < $1.id })
        }
    }

    @Test("custom fields, attachments and text survive byte for byte", arguments: StoreKind.available)
    func keepsArbitraryContent(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            var ids = ObjectIdSequence(random: 99, counter: 1)
            let dialog = Dialog(
                id: ids.next(timestamp: 1_700_000_000), userId: 1, type: .group, name: "x'; DROP TABLE dialogs; --",
                occupantsIds: [1, 2], occupantsCount: 2, createdAt: 1_700_000_000, updatedAt: 1_700_000_000)
            let text = "quote ' double \" back \\ semicolon ; dash -- emoji 🧪 " + String(repeating: "é", count: 5_000)
            let custom: JSONObject = [
                "mission": .string("take over the planet"), "name": .string("intel"), "userExtraData": .null,
                "nested": .object(["deep": .array([.integer(-1), .number(2.5), .bool(true), .string("\u{1}")])]),
            ]
            let message = Message(
                id: ids.next(timestamp: 1_700_000_001), chatDialogId: dialog.id, text: text, dateSent: 1_700_000_001,
                senderId: 1, readIds: [1], deliveredIds: [1, 2],
                attachments: [["type": .string("image"), "id": .string("3004"), "content-type": .string("image/png")]],
                customFields: custom, reactions: [Reaction(emoji: "👍", userIds: [2, 1])], editedAt: 1_700_000_050,
                deletedForIds: [2], createdAt: 1_700_000_001, updatedAt: 1_700_000_050)
            try await store.insert(dialogs: [dialog], messages: [message], applicationId: app.id)

            let page = try await store.messages(applicationId: app.id, query: ListQuery())
            #expect(page.items == [message])
            #expect(try await store.dialogs(applicationId: app.id, query: ListQuery()).items == [dialog])
        }
    }

    @Test("text with a NUL character is refused, not truncated", arguments: StoreKind.available)
    func refusesNul(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            var batch = try firstSyntheticBatch(applicationId: app.id, dialogs: 1, messages: 2)
            batch.messages[1].text = "before\u{0}after"
            await #expect(throws: StoreError.unstorableValue("")) {
                try await store.insert(dialogs: batch.dialogs, messages: batch.messages, applicationId: app.id)
            }
            #expect(try await store.messages(applicationId: app.id, query: ListQuery()).totalEntries == 0)
        }
    }

    @Test("writing into an unknown application fails and writes nothing", arguments: StoreKind.available)
    func refusesUnknownApplication(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            let batch = try firstSyntheticBatch(applicationId: app.id, dialogs: 3, messages: 10)
            await #expect(throws: StoreError.unknownApplication(app.id + 1)) {
                try await store.insert(dialogs: batch.dialogs, messages: batch.messages, applicationId: app.id + 1)
            }
            #expect(try await store.dialogs(applicationId: app.id + 1, query: ListQuery()).totalEntries == 0)
        }
    }

    @Test("a batch with a taken id is refused whole", arguments: StoreKind.available)
    func insertIsAtomic(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            let batch = try firstSyntheticBatch(applicationId: app.id, dialogs: 5, messages: 40)
            try await store.insert(dialogs: [], messages: [batch.messages[0]], applicationId: app.id)
            await #expect(throws: StoreError.conflict("")) {
                try await store.insert(dialogs: batch.dialogs, messages: batch.messages, applicationId: app.id)
            }
            #expect(try await store.dialogs(applicationId: app.id, query: ListQuery()).totalEntries == 0)
            #expect(try await store.messages(applicationId: app.id, query: ListQuery()).totalEntries == 1)
        }
    }

    @Test("the same ids in two applications do not collide, and each sees only its own", arguments: StoreKind.available)
    func applicationsAreIsolated(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let first = try await ChatFixture.make(in: store, name: "first", dialogs: 20, messages: 100, seed: 3)
            let second = try await ChatFixture.make(in: store, name: "second", dialogs: 5, messages: 30, seed: 3)
            let firstPage = try await store.messages(applicationId: first.application.id, query: ListQuery())
            let secondPage = try await store.messages(applicationId: second.application.id, query: ListQuery())
            #expect(firstPage.totalEntries == 100)
            #expect(secondPage.totalEntries == 30)
            #expect(Set(secondPage.items.map(\.id)).isSubset(of: Set(second.messages.map(\.id))))
            let dialogs = try await store.dialogs(applicationId: second.application.id, query: ListQuery())
            #expect(dialogs.totalEntries == 5)
        }
    }

    /// Every row of a list, page by page with `skip`.
    private func everyRow<Item>(_ page: (Int) async throws -> ListPage<Item>) async throws -> [Item] {
        var rows = [Item]()
        while true {
            let items = try await page(rows.count).items
            if items.isEmpty { return rows }
            rows += items
        }
    }

    /// The first batch a small synthetic plan produces: dialogs and messages ready to insert.
    private func firstSyntheticBatch(applicationId: Int, dialogs: Int, messages: Int) throws -> SyntheticChatBatch {
        var generator = SyntheticChatGenerator(
            plan: .init(applicationId: applicationId, dialogs: dialogs, messages: messages))
        let batch = generator.nextBatch()
        return try #require(batch)
    }
}
