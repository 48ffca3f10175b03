import CompressNIO
import ConfabCore
import ConfabServer
import ConfabStore
import ConfabTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /admin/chat/export` and `GET /admin/chat/messages/export` through the real router.
@Suite("Streaming exports")
struct AdminExportTests {
    /// The `items` of a list page as bytes: what sits between `"items":[` and the closing `]}`.
    static func itemBytes(of page: [UInt8]) throws -> ArraySlice<UInt8> {
        let start = try #require(page.firstRange(of: Array(#""items":["#.utf8)))
        return page[start.upperBound..<(page.count - 2)]
    }

    @Test(
        "each line is the list's item byte for byte, with the list's filters and sort, then the last line",
        arguments: StoreKind.available)
    func lines(kind: StoreKind) async throws {
        try await withTestServer(
            kind,
            prepare: { Fixtures(main: try await ChatFixture.make(in: $0, dialogs: 8, messages: 130, tiedMessages: 20)) }
        ) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let admin = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let pivot = fixture.messages[40].createdAt
            for (list, export) in [
                (
                    "/admin/chat/messages/list?sort_asc=created_at&created_at[gte]=\(pivot)",
                    "/admin/chat/messages/export.json?sort_asc=created_at&created_at[gte]=\(pivot)"
                ),
                ("/admin/chat/list", "/admin/chat/export"),
            ] {
                var pages = [ArraySlice<UInt8>]()
                var skip = 0
                while true {
                    let page = try await admin.page("\(list)\(list.contains("?") ? "&" : "?")limit=100&skip=\(skip)")
                    pages.append(try Self.itemBytes(of: page.bytes))
                    skip += page.items.count
                    if page.items.count < 100 { break }
                }
                let response = try await admin.get(export)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-ndjson")
                let body = Array(response.body.readableBytesView)
                let items = try ExportTrailer.items(of: body)
                let lines = body.split(separator: UInt8(ascii: "\n")).dropLast()
                #expect(
                    Array(lines.joined(separator: [UInt8(ascii: ",")]))
                        == Array(pages.filter { !$0.isEmpty }.joined(separator: [UInt8(ascii: ",")])))
                #expect(items.count == skip && skip > 100 || list == "/admin/chat/list")
                let trailer = try #require(body.split(separator: UInt8(ascii: "\n")).last)
                #expect(
                    String(decoding: trailer, as: UTF8.self)
                        == #"{"export_complete":true,"items":\#(items.count),"last_id":"\#(items.last?["_id"]?.stringValue ?? "")"}"#
                )
            }
        }
    }

    @Test("with Accept-Encoding: gzip the stream is gzip and unpacks to the same bytes; q=0 or another coding is plain")
    func gzip() async throws {
        try await withTestServer(
            .sqlite, prepare: { Fixtures(main: try await ChatFixture.make(in: $0, dialogs: 8, messages: 300)) }
        ) { client, fixtures in
            let key = try fixtures.requireMain().credentials.adminAPIKey
            func export(acceptEncoding: String?) async throws -> TestResponse {
                var headers: HTTPFields = [HTTPField.Name("CB-Administration-API-Key")!: key]
                if let acceptEncoding { headers[.acceptEncoding] = acceptEncoding }
                return try await client.execute(uri: "/admin/chat/messages/export", method: .get, headers: headers)
            }
            let plain = try await export(acceptEncoding: nil)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept-Encoding")
            #expect(try ExportTrailer.items(of: plain.body.readableBytesView).count == 300)
            for accepted in ["gzip", "br;q=1.0, GZIP;q=0.8", "deflate, *"] {
                let zipped = try await export(acceptEncoding: accepted)
                #expect(zipped.headers[.contentEncoding] == "gzip", "\(accepted)")
                var body = zipped.body
                #expect(try body.decompress(with: ZlibAlgorithm.gzip) == plain.body, "\(accepted)")
                #expect(zipped.body.readableBytes * 3 < plain.body.readableBytes)
            }
            for refused in ["gzip;q=0", "br", "identity", "*;q=0"] {
                let answer = try await export(acceptEncoding: refused)
                #expect(answer.headers[.contentEncoding] == nil, "\(refused)")
                #expect(answer.body == plain.body, "\(refused)")
            }
        }
    }

    @Test("paging, unknown parameters and a wrong key are refused by name")
    func refusals() async throws {
        try await withTestServer(
            .sqlite, prepare: { Fixtures(main: try await ChatFixture.make(in: $0, dialogs: 2, messages: 5)) }
        ) {
            client, fixtures in
            let fixture = try fixtures.requireMain()
            let admin = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let paged = try await admin.get("/admin/chat/messages/export?limit=10&colour=red&skip=1")
            #expect(paged.status == .unprocessableContent)
            let errors = try #require(
                try JSONParser.parse(Array(paged.body.readableBytesView)).objectValue?["errors"]?.objectValue)
            #expect(Set(errors.members.map(\.key)) == ["limit", "skip", "colour"])
            let stranger = AdminAPITestClient(client: client, key: "not-a-key")
            #expect(try await stranger.get("/admin/chat/export").status == .unauthorized)
        }
    }

    @Test("a client that stops reading holds its export (backpressure); one that disconnects frees it")
    func slots() async throws {
        try await withTemporaryStore(.sqlite) { store in
            let credentials = ApplicationCredentials(authKey: "a", authSecret: "s", adminAPIKey: "export-key")
            let application = try await store.createApplication(name: "Big", credentials: credentials, createdAt: 0)
            // 24 MB of messages: far more than the sockets between server and client buffer.
            let dialog = Dialog(
                id: ObjectId(hex: "0000000000000000000000ff")!, userId: 1, type: .group, occupantsIds: [1, 2],
                createdAt: 1_700_000_000, updatedAt: 1_700_000_000)
            let text = String(repeating: "x", count: 60_000)
            let messages = (0..<400).map { index in
                Message(
                    id: ObjectId(hex: String(format: "%024x", 0x1000 + index))!, chatDialogId: dialog.id, text: text,
                    dateSent: 1_700_000_000, senderId: 1, createdAt: 1_700_000_000, updatedAt: 1_700_000_000)
            }
            try await store.insert(dialogs: [dialog], messages: messages, applicationId: application.id)
            var configuration = ServerConfiguration(port: 0)
            configuration.exports = ExportLimits(running: 1, waiting: 1, batchRows: 4)
            try await withLiveServer(store: store, configuration: configuration) { baseURL in
                let port = try #require(baseURL.split(separator: ":").last.flatMap { Int($0) })
                let request =
                    "GET /admin/chat/messages/export HTTP/1.1\r\nHost: x\r\nCB-Administration-API-Key: export-key\r\nConnection: close\r\n\r\n"
                let stalled = try RawConnection(port: port)
                try stalled.send(request)
                #expect(try await stalled.read(atLeast: 1_000).count >= 1_000, "the first export streams")
                // The stalled export still holds the one slot: of two more, one waits in the line
                // and the other finds it full. Which is which is the server's order of arrival.
                let second = try RawConnection(port: port)
                let third = try RawConnection(port: port)
                try second.send(request)
                try third.send(request)
                let refusedIndex = try await RawConnection.firstReadable(of: [second, third])
                let (refused, waiting) = refusedIndex == 0 ? (second, third) : (third, second)
                let answer = try await refused.readResponse()
                #expect(answer.status == 429, "\(answer.text)")
                #expect(answer.headers["retry-after"] == "5")

                stalled.disconnect()
                let whole = try #require(RawResponse.chunkedBody(of: try await waiting.readToEnd()))
                #expect(whole.head.hasPrefix("HTTP/1.1 200"))
                #expect(try ExportTrailer.items(of: whole.body).count == 400)
            }
        }
    }

    @Test("a stream without its last line, or with a wrong count, is told from a whole one")
    func cut() throws {
        let whole = Array(#"{"_id":"a"}\#n{"_id":"b"}\#n{"export_complete":true,"items":2,"last_id":null}\#n"#.utf8)
        #expect(try ExportTrailer.items(of: whole).count == 2)
        #expect(throws: ExportCut.self) { try ExportTrailer.items(of: whole.prefix(24)) }
        #expect(throws: ExportCut.self) { try ExportTrailer.items(of: Array(whole.dropFirst(12))) }
        #expect(throws: ExportCut.self) { try ExportTrailer.items(of: whole + Array(#"{"_id":"c"}"#.utf8)) }
    }
}
