import ConfabAdminClient
import ConfabCore
import ConfabData
import ConfabStore
import ConfabTestSupport
import Foundation
import Testing

@Suite("Export, import, export")
struct ExportRoundTripTests {
    @Test(
        "export → import into a fresh store → export gives byte-identical NDJSON; a second import changes nothing",
        arguments: StoreKind.available)
    func roundTrip(kind: StoreKind) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("confab-roundtrip-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { @Sendable (name: String) in directory.appendingPathComponent(name).path }

        try await withServedFixture(kind) { client, fixture in
            #expect(fixture.messages.contains { !$0.customFields.isEmpty }, "the fixture has no custom fields to keep")
            #expect(fixture.messages.contains { !$0.reactions.isEmpty }, "the fixture has no reactions to keep")
            #expect(fixture.messages.contains { !$0.attachments.isEmpty }, "the fixture has no attachments to keep")
            try await export(client, to: path("dialogs-1.ndjson"), path("messages-1.ndjson"))
        }
        try await withTemporaryStore(kind) { store in
            let credentials = ApplicationCredentials.random()
            let application = try await store.createApplication(
                name: "Moved", credentials: credentials, createdAt: 1_700_000_000)
            let dialogs = ExportImporter(store: store, applicationId: application.id, collection: .dialogs)
            let messages = ExportImporter(store: store, applicationId: application.id, collection: .messages)
            let first = try await dialogs.importFile(atPath: path("dialogs-1.ndjson"))
            let firstMessages = try await messages.importFile(atPath: path("messages-1.ndjson"))
            #expect(first.read == 25 && first.written == 25)
            #expect(firstMessages.read == 630 && firstMessages.written == 630)
            let again = try await messages.importFile(atPath: path("messages-1.ndjson"))
            #expect(again == ExportImporter.Summary(read: 630, written: 0))
            #expect(try await dialogs.importFile(atPath: path("dialogs-1.ndjson")).written == 0)

            let key = credentials.adminAPIKey
            try await withLiveServer(store: store) { url in
                let client = AdminClient(baseURL: url, apiKey: key, retry: quickRetry, pageSize: 100)
                try await export(client, to: path("dialogs-2.ndjson"), path("messages-2.ndjson"))
            }
        }
        let messagesBefore = try Data(contentsOf: URL(fileURLWithPath: path("messages-1.ndjson")))
        #expect(messagesBefore.count > 100_000)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("messages-2.ndjson"))) == messagesBefore)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: path("dialogs-2.ndjson")))
                == Data(contentsOf: URL(fileURLWithPath: path("dialogs-1.ndjson"))))
    }

    private func export(_ client: AdminClient, to dialogs: String, _ messages: String) async throws {
        let exporter = ListExporter(client: client)
        _ = try await exporter.run(ListExporter.Options(list: .dialogs, output: dialogs))
        _ = try await exporter.run(ListExporter.Options(list: .messages, output: messages))
    }

}
