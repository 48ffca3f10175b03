import ConfabCore
import ConfabRequests
import Foundation
import NIOHTTP1
import Testing

@testable import ConfabAdminClient

@Suite("The parts of an export: CSV, progress, retry timing, query strings")
struct ExportPartsTests {
    @Test("CSV cells are quoted as RFC 4180 says, and only when they must be")
    func csvQuoting() {
        let record = CSVRecord.encode(["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", "", "ünï 🧪"])
        #expect(
            String(decoding: record, as: UTF8.self)
                == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",,ünï 🧪\r\n")
    }

    @Test("a message's cells: text as is, null empty, arrays and objects as JSON, other members in custom_fields")
    func csvCells() throws {
        let json = try #require(
            JSONParser.parse(
                #"{"_id":"63834bbecf1efb102da40f2c","message":"hi, there","read_ids":[1,2],"edited_at":null,"mission":"x","attachments":[{"id":"3"}],"nested":{"a":[true]}}"#
            ).objectValue)
        let cells = CSVColumns.cells(of: json, collection: .messages)
        let columns = CSVColumns.names(for: .messages)
        #expect(cells.count == columns.count)
        let byColumn = Dictionary(uniqueKeysWithValues: zip(columns, cells))
        #expect(byColumn["message"] == "hi, there")
        #expect(byColumn["read_ids"] == "[1,2]")
        #expect(byColumn["edited_at"] == "")
        #expect(byColumn["recipient_id"] == "")
        #expect(byColumn["attachments"] == #"[{"id":"3"}]"#)
        #expect(byColumn["custom_fields"] == #"{"mission":"x","nested":{"a":[true]}}"#)
    }

    @Test("a dialog's extensions and permissions have columns of their own, empty where it has none")
    func dialogCells() throws {
        let columns = CSVColumns.names(for: .dialogs)
        for (text, extensions, permissions) in [
            (
                #"{"_id":"a","extensions":{"floor":"2"},"permissions":{"allow_preview":true}}"#, #"{"floor":"2"}"#,
                #"{"allow_preview":true}"#
            ),
            (#"{"_id":"b","silent_ids":[]}"#, "", ""),
        ] {
            let cells = CSVColumns.cells(of: try #require(JSONParser.parse(text).objectValue), collection: .dialogs)
            let byColumn = Dictionary(uniqueKeysWithValues: zip(columns, cells))
            #expect(byColumn["extensions"] == extensions && byColumn["permissions"] == permissions)
            #expect(byColumn["custom_fields"] == "")
        }
    }

    @Test("the progress line and the summary")
    func progressText() {
        let progress = ExportProgress(list: .messages, rows: 12_300, total: 100_000, rowsThisRun: 12_300, seconds: 0.5)
        #expect(progress.line == "messages  12,300 / 100,000  12%  24,600/s  ETA 0:04")
        let resumed = ExportProgress(
            list: .dialogs, rows: 1_000_000, total: 1_000_000, rowsThisRun: 400_000, seconds: 20)
        #expect(
            resumed.summary(destination: "d.ndjson")
                == "Exported 1,000,000 dialogs to d.ndjson (400,000 in this run) in 20.0 s (20,000/s)")
        #expect(ExportProgress.clock(3_725) == "1:02:05")
        #expect(ExportProgress.grouped(999) == "999" && ExportProgress.grouped(1_000) == "1,000")
    }

    @Test("backoff grows, stays within its jitter band and the cap, and waits at least what the server asked")
    func retryDelays() {
        let policy = RetryPolicy(maximumAttempts: 8, initialDelay: .milliseconds(100), maximumDelay: .seconds(2))
        var random = SeededRandomNumberGenerator(seed: 5)
        for retry in 0..<8 {
            let full = min(Duration.milliseconds(100) * (1 << retry), .seconds(2))
            let delay = policy.delay(beforeRetry: retry, serverAsked: nil, using: &random)
            #expect(delay >= full / 2 && delay <= full, "retry \(retry): \(delay)")
        }
        #expect(policy.delay(beforeRetry: 0, serverAsked: .seconds(1), using: &random) == .seconds(1))
        #expect(policy.delay(beforeRetry: 0, serverAsked: .seconds(600), using: &random) == .seconds(2))
    }

    @Test("Retry-After as seconds or as an HTTP date")
    func retryAfter() {
        #expect(AdminClient.retryAfter(HTTPHeaders([("Retry-After", "7")])) == .seconds(7))
        #expect(AdminClient.retryAfter(HTTPHeaders([("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")])) == .seconds(0))
        #expect(AdminClient.retryAfter(HTTPHeaders([("Retry-After", "soon")])) == nil)
        #expect(AdminClient.retryAfter(HTTPHeaders()) == nil)
    }

    @Test("query strings are percent-encoded, brackets included, and decode to the same parameters")
    func queryStrings() throws {
        let parameters = [
            FormParameter(name: "updated_at[gt]", value: "1 2&3"), FormParameter(name: "limit", value: "7"),
        ]
        let text = AdminClient.queryString(parameters)
        #expect(text == "updated_at%5Bgt%5D=1%202%263&limit=7")
        #expect(try FormURLDecoder.decode(Array(text.utf8)) == parameters)
    }
}
