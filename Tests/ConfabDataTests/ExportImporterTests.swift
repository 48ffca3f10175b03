import ConfabCore
import ConfabData
import ConfabStore
import ConfabTestSupport
import Foundation
import Testing

@Suite("Importing exports into a store")
struct ExportImporterTests {
    /// Two admin list pages as ConnectyCube answers them, saved one after the other.
    static let connectyCubePages = """
        {"total_entries":3,"skip":0,"limit":2,"items":[
        {"_id":"63834bbecf1efb102da40f2c","chat_dialog_id":"61721539107bd9002fdb84ed","message":"Warning! People are coming!","date_sent":1669548990,"sender_id":4980089,"recipient_id":4997495,"created_at":"2022-11-27T11:36:31Z","updated_at":"2022-11-27T11:36:31Z","read_ids":[4980089],"delivered_ids":[4980089],"userExtraData":null,"mission":"take over the planet","name":"intel","attachments":[{"type":"image","id":"3004"}],"reactions":null,"views_count":0,"edited_at":null,"read":0},
        {"_id":"63834bbecf1efb102da40f2b","chat_dialog_id":"61721539107bd9002fdb84ed","message":"second","date_sent":1669548980,"sender_id":4997495,"recipient_id":4980089,"created_at":"2022-11-27T11:36:20Z","updated_at":"2022-11-27T11:40:00Z","read_ids":[4997495,4980089],"delivered_ids":[4997495,4980089],"attachments":[],"reactions":{"own":[],"total":{"🔥":3}},"views_count":4,"edited_at":1669549200,"read":1}
        ]}
        {"total_entries":3,"skip":0,"limit":2,"items":[
        {"_id":"63834bbecf1efb102da40f2a","chat_dialog_id":"61721539107bd9002fdb84ed","message":null,"date_sent":1669548970,"sender_id":4980089,"recipient_id":4997495,"created_at":"2022-11-27T11:36:10Z","updated_at":"2022-11-27T11:36:10Z","read_ids":[],"delivered_ids":[],"attachments":[],"reactions":null,"views_count":0,"edited_at":null,"read":0,"deleted_for_ids":[4980089]}
        ]}
        """

    @Test(
        "ConnectyCube's admin list pages load with ids, times and custom fields; the lists show them as sent",
        arguments: StoreKind.available)
    func loadsConnectyCubePages(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "Moved", credentials: .random(), createdAt: 1)
            let path = try Self.write(Self.connectyCubePages)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let importer = ExportImporter(store: store, applicationId: app.id, collection: .messages)
            #expect(try await importer.importFile(atPath: path) == ExportImporter.Summary(read: 3, written: 3))

            let page = try await store.messages(applicationId: app.id, query: ListQuery())
            #expect(page.totalEntries == 3)
            #expect(
                page.items.map(\.id.hex) == [
                    "63834bbecf1efb102da40f2c", "63834bbecf1efb102da40f2b", "63834bbecf1efb102da40f2a",
                ])
            let first = try #require(page.items.first)
            #expect(first.customFields.members.map(\.key) == ["userExtraData", "mission", "name"])
            #expect(first.createdAt == 1_669_548_991)
            let second = page.items[1]
            #expect(second.updatedAt == 1_669_549_200 && second.editedAt == 1_669_549_200 && second.viewsCount == 4)
            var writer = JSONWriter()
            AdminListJSON.write(second, to: &writer)
            #expect(String(decoding: writer.bytes, as: UTF8.self).contains(#""reactions":{"own":[],"total":{"🔥":3}}"#))
            #expect(page.items[2].deletedForIds == [4_980_089])
        }
    }

    @Test(
        "rows already there are left alone, an id given twice is written once, and the counts stay exact",
        arguments: StoreKind.available)
    func importsOnlyNewRows(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 10, messages: 200)
            let appId = fixture.application.id
            var changed = fixture.messages[0]
            changed.text = "changed in the file"
            var generator = SyntheticChatGenerator(
                plan: SyntheticChatPlan(applicationId: appId, dialogs: 3, messages: 30, seed: 99))
            let next = generator.nextBatch(maximumMessages: 30)
            let batch = try #require(next)
            let written = try await store.insertNew(
                dialogs: batch.dialogs + batch.dialogs, messages: [changed] + batch.messages + batch.messages.prefix(5),
                applicationId: appId)
            #expect(written == InsertedRows(dialogs: 3, messages: 30))
            let changedId = changed.id
            let kept = try await store.read(applicationId: appId) { try await $0.message(changedId) }
            #expect(kept == fixture.messages[0])
            let again = try await store.insertNew(
                dialogs: batch.dialogs, messages: batch.messages, applicationId: appId)
            #expect(again == InsertedRows(dialogs: 0, messages: 0))

            let newest = try #require(batch.messages.map(\.updatedAt).max())
            for query in [
                ListQuery(), ListQuery(filters: [.updatedAt(.lte, newest)]),
                ListQuery(chatDialogId: batch.dialogs[0].id),
            ] {
                let total = try await store.messages(applicationId: appId, query: query).totalEntries
                let expected = ListOracle.page(fixture.messages + batch.messages, query: query).totalEntries
                #expect(total == expected)
            }
            #expect(try await store.dialogs(applicationId: appId, query: ListQuery()).totalEntries == 13)
        }
    }

    @Test("a broken file names the byte or item at fault", arguments: StoreKind.available)
    func brokenFiles(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            let cases = [
                ("{\"_id\":\"63834bbecf1efb102da40f2c\"", "byte 0: the text ends inside this value"),
                ("[1, 2]", "byte 0: an item must be a JSON object"),
                ("{\"total_entries\":1,\"items\":{}}", "byte 0: `items` must be an array"),
                ("\n\n{\"a\":tru}", "byte 7: unknown literal"),
                (
                    "{\"_id\":\"620e2b1463ee2a1977b4ee65\",\"type\":9,\"user_id\":1,\"created_at\":1,\"updated_at\":1}",
                    "item 1: type must be 1, 2, 3 or 4"
                ),
            ]
            let importer = ExportImporter(store: store, applicationId: app.id, collection: .dialogs)
            for (text, expected) in cases {
                let path = try Self.write(text)
                defer { try? FileManager.default.removeItem(atPath: path) }
                let error = await #expect(throws: ExportImportError.self) {
                    try await importer.importFile(atPath: path)
                }
                #expect(error?.description.hasPrefix(expected) == true, "\(text): \(String(describing: error))")
            }
            #expect(try await store.dialogs(applicationId: app.id, query: ListQuery()).totalEntries == 0)
        }
    }

    @Test(
        "a cancelled import stops at a batch, cancels the write in flight and leaves only whole batches",
        arguments: StoreKind.available)
    func cancelledImport(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            var generator = SyntheticChatGenerator(
                plan: SyntheticChatPlan(applicationId: app.id, dialogs: 5, messages: 500, seed: 7))
            var dialogs = [Dialog]()
            var messages = [Message]()
            while let batch = generator.nextBatch(maximumMessages: 500) {
                dialogs += batch.dialogs
                messages += batch.messages
            }
            _ = try await store.insertNew(dialogs: dialogs, messages: [], applicationId: app.id)
            var writer = JSONWriter()
            for message in messages {
                AdminListJSON.write(message, to: &writer)
                writer.lineBreak()
            }
            let path = try Self.write(String(decoding: writer.bytes, as: UTF8.self))
            defer { try? FileManager.default.removeItem(atPath: path) }
            var importer = ExportImporter(store: store, applicationId: app.id, collection: .messages)
            importer.batchSize = 50
            // Cancelled from inside, as the second batch goes to the store: no race with a timer.
            let importing = Task {
                try await importer.importFile(atPath: path) { summary in
                    if summary.read == 100 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }
            await #expect(throws: CancellationError.self) { try await importing.value }
            // The first batch is written; the second was cancelled in flight or finished first.
            let total = try await store.messages(applicationId: app.id, query: ListQuery()).totalEntries
            #expect(total == 50 || total == 100, "\(total)")
        }
    }

    private static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confab-import-\(UUID()).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
