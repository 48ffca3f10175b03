import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import Testing

/// `confab export` and `confab import` run as the built binary, against Confab served in the
/// test on a real port.
@Suite("confab export and import", .serialized)
struct ExportCommandTests {
    /// 25 dialogs and 630 messages (7 pages of 100), served behind `script`.
    private func withServedApp(
        script: RequestScript = RequestScript(),
        _ body: @escaping @Sendable (_ url: String, _ key: String, ChatFixture, any ChatStore, URL) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            try await withTemporaryStore(.sqlite) { store in
                let fixture = try await ChatFixture.make(in: store, dialogs: 25, messages: 600, tiedMessages: 30)
                try await withLiveServer(store: store, script: script) { url in
                    try await body(url, fixture.credentials.adminAPIKey, fixture, store, directory)
                }
            }
        }
    }

    @Test("NDJSON, CSV and JSON hold every row as the admin list serves it; filters pass through")
    func formats() async throws {
        try await withServedApp { url, key, fixture, _, directory in
            let messages = ListOracle.page(fixture.messages, query: ListQuery(limit: .max)).items
            let ndjson = try ConfabProcess.run(
                ["export", "messages", "--url", url, "--key=\(key)", "--output", "m.ndjson"], in: directory)
            #expect(ndjson.status == 0, "\(ndjson.errors)")
            #expect(ndjson.errors.hasPrefix("Exported 630 messages to m.ndjson in "), "\(ndjson.errors)")
            #expect(ndjson.output.isEmpty)
            let lines = try String(contentsOf: directory.appendingPathComponent("m.ndjson"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.last == "")
            #expect(lines.dropLast().map(String.init) == messages.map(Self.adminText))
            #expect(
                !FileManager.default.fileExists(atPath: directory.appendingPathComponent("m.ndjson.confab-export").path)
            )

            let csv = try ConfabProcess.run(
                ["export", "messages", "--url", url, "--key=\(key)", "--format", "csv", "-o", "m.csv"], in: directory)
            #expect(csv.status == 0, "\(csv.errors)")
            let records = Self.parseCSV(
                try String(contentsOf: directory.appendingPathComponent("m.csv"), encoding: .utf8))
            #expect(records.first == Self.messageColumns)
            #expect(records.count == 631)
            for (record, message) in zip(records.dropFirst(), messages) {
                #expect(record.count == Self.messageColumns.count)
                #expect(record[0] == message.id.hex)
                #expect(record[2] == (message.text ?? ""))
                let custom = record[16].isEmpty ? JSONObject() : try JSONParser.parse(record[16]).objectValue
                #expect(custom == message.customFields)
            }
            #expect(messages.contains { $0.text?.contains(",") == true || !$0.customFields.isEmpty })

            let json = try ConfabProcess.run(
                ["export", "dialogs", "--url", url, "--key=\(key)", "--format", "json"], in: directory)
            #expect(json.status == 0, "\(json.errors)")
            let array = try #require(try JSONParser.parse(json.output).arrayValue)
            let dialogs = ListOracle.page(fixture.dialogs, query: ListQuery(limit: .max)).items
            #expect(array.compactMap { $0.objectValue?["_id"]?.stringValue } == dialogs.map(\.id.hex))

            let dialog = try #require(fixture.dialogs.first).id
            let since = fixture.messages.map(\.updatedAt).sorted()[300]
            let filtered = try ConfabProcess.run(
                [
                    "export", "messages", "--url", url, "--key=\(key)", "--chat-dialog-id", dialog.hex,
                    "--updated-after", String(since), "--format", "ndjson",
                ], in: directory)
            #expect(filtered.status == 0, "\(filtered.errors)")
            let expected = ListOracle.page(
                fixture.messages, query: ListQuery(filters: [.updatedAt(.gt, since)], chatDialogId: dialog, limit: .max)
            ).items
            #expect(!expected.isEmpty)
            #expect(filtered.output == expected.map { Self.adminText($0) + "\n" }.joined())
        }
    }

    @Test(
        "killed mid-export by pages (ConnectyCube has no stream), --resume finishes the file: the same bytes as an export never interrupted"
    )
    func resumeAfterKill() async throws {
        // The one-row page for the total, the export's 404, then pages: the fourth is held.
        let script = RequestScript(holdingRequest: 6, withoutExport: true)
        try await withServedApp(script: script) { url, key, _, _, directory in
            let file = directory.appendingPathComponent("m.ndjson")
            let state = directory.appendingPathComponent("m.ndjson.confab-export")
            let arguments = ["export", "messages", "--url", url, "--key=\(key)", "--output", "m.ndjson"]
            let export = try BackgroundCommand(arguments, in: directory)
            let watchdog = Task {
                try await Task.sleep(for: .seconds(120))
                await script.release()
            }
            await script.waitUntilHeld()
            watchdog.cancel()
            #expect(await script.wasHeld)
            // Three pages are written and recorded: the fourth is on its way.
            kill(export.process.processIdentifier, SIGKILL)
            _ = try export.finish()
            #expect(export.process.terminationReason == .uncaughtSignal)
            #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count == 300)
            #expect(FileManager.default.fileExists(atPath: state.path))
            let savedState = try Data(contentsOf: state)
            // As if the kill had cut a row in half.
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"_id":"6a0b"#.utf8))
            try handle.close()
            await script.release()

            let resumed = try ConfabProcess.run(arguments + ["--resume"], in: directory)
            #expect(resumed.status == 0, "\(resumed.errors)")
            #expect(resumed.errors.contains("Exported 630 messages to m.ndjson (330 in this run)"), "\(resumed.errors)")
            #expect(!FileManager.default.fileExists(atPath: state.path))

            let whole = try ConfabProcess.run(
                ["export", "messages", "--url", url, "--key=\(key)", "--output", "whole.ndjson"], in: directory)
            #expect(whole.status == 0)
            #expect(try Data(contentsOf: file) == Data(contentsOf: directory.appendingPathComponent("whole.ndjson")))

            let again = try ConfabProcess.run(arguments + ["--resume"], in: directory)
            #expect(again.status == 6)
            #expect(again.errors.contains("nothing to resume"), "\(again.errors)")

            // A file shorter than its state says (lost writes) is not resumed.
            try savedState.write(to: state)
            try Data("{}".utf8).write(to: file)
            let shorter = try ConfabProcess.run(arguments + ["--resume"], in: directory)
            #expect(shorter.status == 6)
            #expect(shorter.errors.contains("is shorter than its export state says"), "\(shorter.errors)")
        }
    }

    @Test("exit codes: refused key 3, refused filters 2, not the API 4, bad arguments 64, each with a one-line reason")
    func exitCodes() async throws {
        let refusal = RequestScript.Failure(
            status: .unprocessableContent, body: #"{"errors":{"updated_at[gt]":["must be an integer"]}}"#)
        try await withServedApp(script: RequestScript(failures: [refusal])) { url, key, _, _, directory in
            let refused = try ConfabProcess.run(["export", "dialogs", "--url", url, "--key=\(key)"], in: directory)
            #expect(refused.status == 2)
            #expect(
                refused.errors == "confab export: the server refused the query: updated_at[gt]: must be an integer\n")

            let wrongKey = try ConfabProcess.run(
                ["export", "dialogs", "--url", url, "--key=wrong", "--output", "refused.ndjson"], in: directory)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("refused.ndjson").path))
            #expect(wrongKey.status == 3)
            #expect(wrongKey.errors.hasPrefix("confab export: the administration key was refused (HTTP 401)"))
            #expect(wrongKey.errors.split(separator: "\n").count == 1)
            // A key starting with "-" is still the key, not an option.
            let dashKey = try ConfabProcess.run(
                ["export", "dialogs", "--url", url, "--key", "-Xk2f"], in: directory)
            #expect(dashKey.status == 3, "\(dashKey.errors)")

            let elsewhere = try ConfabProcess.run(
                ["export", "dialogs", "--url", url + "/v2", "--key=\(key)"], in: directory)
            #expect(elsewhere.status == 4)
            #expect(elsewhere.errors.contains("not a ConnectyCube-compatible Admin API"))

            for arguments in [
                ["--created-after", "yesterday"], ["--chat-dialog-id", "123"], ["--resume"], ["--format", "xml"],
            ] {
                let bad = try ConfabProcess.run(
                    ["export", "messages", "--url", url, "--key=\(key)"] + arguments, in: directory)
                #expect(bad.status == 64, "\(arguments)")
                #expect(bad.errors.contains(arguments[0]), "\(arguments): \(bad.errors)")
            }
        }
    }

    @Test("a stream cut off after 150 items is finished by pages: the same bytes as an export never cut")
    func cutStream() async throws {
        let script = RequestScript()
        try await withServedApp(script: script) { url, key, fixture, _, directory in
            let lines = ListOracle.page(fixture.messages, query: ListQuery(limit: .max)).items.map {
                Self.adminText($0) + "\n"
            }
            // The one-row page passes; the export sends 150 items and half a line, then ends.
            let cut = lines.prefix(150).joined() + #"{"_id":"6a0b"#
            await script.answer(next: [nil, RequestScript.Failure(status: .ok, body: cut)])
            let export = try ConfabProcess.run(
                ["export", "messages", "--url", url, "--key=\(key)", "--output", "m.ndjson"], in: directory)
            #expect(export.status == 0, "\(export.errors)")
            #expect(
                try String(contentsOf: directory.appendingPathComponent("m.ndjson"), encoding: .utf8) == lines.joined())
            let requests = await script.requests
            #expect(requests.count == 2 + 5, "\(requests)")
            #expect(requests[1].hasPrefix("/admin/chat/messages/export"))
            #expect(
                requests[2].contains("_id%5Blt%5D=" + fixture.messages.map(\.id).sorted(by: >)[149].hex),
                "\(requests[2])")

            // Uncut, one stream carries it all.
            let streamed = try ConfabProcess.run(
                ["export", "messages", "--url", url, "--key=\(key)", "--output", "s.ndjson"], in: directory)
            #expect(streamed.status == 0, "\(streamed.errors)")
            #expect(
                try String(contentsOf: directory.appendingPathComponent("s.ndjson"), encoding: .utf8) == lines.joined())
            #expect(await script.requests.count == 7 + 2)
            let zipped = try ConfabProcess.run(
                ["export", "messages", "--url", url, "--key=\(key)", "--gzip", "--output", "g.ndjson"], in: directory)
            #expect(zipped.status == 0, "\(zipped.errors)")
            #expect(
                try String(contentsOf: directory.appendingPathComponent("g.ndjson"), encoding: .utf8) == lines.joined())
        }
    }

    @Test("a row deleted during an export by pages ends it with status 5 and the counts")
    func countMismatch() async throws {
        // The one-row page, the export's 404, the first page; the second is held.
        let script = RequestScript(holdingRequest: 4, withoutExport: true)
        try await withServedApp(script: script) { url, key, fixture, store, directory in
            let export = try BackgroundCommand(
                ["export", "messages", "--url", url, "--key=\(key)", "--output", "m.ndjson"], in: directory)
            await script.waitUntilHeld()
            let oldest = try #require(fixture.messages.map(\.id).min())
            try await store.write(applicationId: fixture.application.id) { try await $0.deleteMessage(oldest) }
            await script.release()
            let (status, errors) = try export.finish()
            #expect(status == 5)
            #expect(errors.contains("count mismatch: the server reported 630 messages, 629 arrived"), "\(errors)")
        }
    }

    @Test("import loads an export into another application; a second import changes nothing; a bad item is named")
    func importCommand() async throws {
        try await withServedApp { url, key, _, _, directory in
            for list in ["dialogs", "messages"] {
                let export = try ConfabProcess.run(
                    ["export", list, "--url", url, "--key=\(key)", "--output", "\(list).ndjson"], in: directory)
                #expect(export.status == 0, "\(export.errors)")
            }
            let create = try ConfabProcess.run(
                ["apps", "create", "--name", "Moved", "--database", "moved.sqlite"], in: directory)
            #expect(create.status == 0, "\(create.errors)")
            let database = ["--app", "1", "--database", "sqlite:moved.sqlite"]
            let dialogs = try ConfabProcess.run(["import", "dialogs", "dialogs.ndjson"] + database, in: directory)
            #expect(dialogs.status == 0, "\(dialogs.errors)")
            #expect(dialogs.output.contains("25 dialogs read, 25 new, 0 already there"), "\(dialogs.output)")
            let messages = try ConfabProcess.run(["import", "messages", "messages.ndjson"] + database, in: directory)
            #expect(messages.output.contains("630 messages read, 630 new, 0 already there"), "\(messages.output)")
            let again = try ConfabProcess.run(["import", "messages", "messages.ndjson"] + database, in: directory)
            #expect(again.output.contains("630 messages read, 0 new, 630 already there"), "\(again.output)")

            let store = try await SQLiteChatStore.open(path: directory.appendingPathComponent("moved.sqlite").path)
            let total = try await store.messages(applicationId: 1, query: ListQuery(limit: 1)).totalEntries
            try await store.close()
            #expect(total == 630)

            try Data(#"{"_id":"not-an-id","chat_dialog_id":"620e2b1463ee2a1977b4ee65"}"#.utf8)
                .write(to: directory.appendingPathComponent("bad.ndjson"))
            let bad = try ConfabProcess.run(["import", "messages", "bad.ndjson"] + database, in: directory)
            #expect(bad.status == 1)
            #expect(bad.errors.contains("item 1: _id must be an ObjectId"), "\(bad.errors)")
            let wrongList = try ConfabProcess.run(["import", "dialogs", "messages.ndjson"] + database, in: directory)
            #expect(wrongList.status == 1)
            #expect(wrongList.errors.contains("item 1: is a message"), "\(wrongList.errors)")
        }
    }

    static let messageColumns = [
        "_id", "chat_dialog_id", "message", "date_sent", "sender_id", "recipient_id", "created_at", "updated_at",
        "read_ids", "delivered_ids", "attachments", "reactions", "views_count", "edited_at", "read", "deleted_for_ids",
        "custom_fields",
    ]

    static func adminText(_ message: Message) -> String {
        var writer = JSONWriter()
        AdminListJSON.write(message, to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var records = [[String]]()
        var record = [String]()
        var cell = ""
        var isQuoted = false
        var characters = Array(text).makeIterator()
        var pending: Character?
        while let character = pending ?? characters.next() {
            pending = nil
            if isQuoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { cell.append("\"") } else { isQuoted = false; pending = next }
                } else {
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"": isQuoted = true
            case ",":
                record.append(cell)
                cell = ""
            case "\r\n":
                record.append(cell)
                records.append(record)
                record = []
                cell = ""
            default: cell.append(character)
            }
        }
        return records
    }
}
