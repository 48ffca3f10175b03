import AsyncHTTPClient
import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import NIOCore
import Testing

@Suite("The confab command on PostgreSQL")
struct PostgresCommandTests {
    @Test(
        "apps create, seed and serve (with --read-database) work on a postgres:// database",
        .enabled(if: StoreKind.available.contains(.postgres), "needs CONFAB_TEST_POSTGRES_URL"))
    func createSeedServe() async throws {
        try await PostgresTestServer.fromEnvironment().withNewDatabases(1) { urls in
            try await withTemporaryDirectory { directory in try await Self.run(url: "\(urls[0])", in: directory) }
        }
    }

    private static func run(url: String, in directory: URL) async throws {
        let create = try ConfabProcess.run(
            ["apps", "create", "--name", "Shop", "--json", "--database", url], in: directory)
        #expect(create.status == 0, "\(create.errors)")
        let json = try #require(
            try JSONParser.parse(create.output.trimmingCharacters(in: .whitespacesAndNewlines)).objectValue)
        let key = try #require(json["admin_api_key"]?.stringValue)

        let seed = try ConfabProcess.run(
            ["seed", "--app", "1", "--dialogs", "30", "--messages", "400", "--database", url, "--connections", "2"],
            in: directory)
        #expect(seed.status == 0, "\(seed.errors)")
        #expect(seed.output.contains("30 dialogs, 400 messages"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("confab.sqlite").path))

        let running = try RunningServer(
            ["serve", "--port", "0", "--database", url, "--read-database", url], in: directory)
        defer { running.stop() }
        let listening = /Listening on http:\/\/127\.0\.0\.1:(\d+)\n/
        let started = await running.waitForOutput(seconds: 120) { $0.contains(listening) }
        try #require(started, "server output: \(running.output)")
        #expect(running.output.contains("Data: \(url) (admin lists from the replica \(url))"))
        let port = try #require(running.output.firstMatch(of: listening).flatMap { Int($0.1) })

        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/admin/chat/messages/list?limit=5")
        request.headers.add(name: "CB-Administration-API-Key", value: key)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status == .ok)
        let body = try await response.body.collect(upTo: 1 << 20)
        let page = try #require(try JSONParser.parse(Array(body.readableBytesView)).objectValue)
        #expect(page["total_entries"]?.integerValue == 400)
        #expect(page["items"]?.arrayValue?.count == 5)
    }

    @Test("an unreachable PostgreSQL server is a clear error, not a hang")
    func unreachableServer() throws {
        try withTemporaryDirectory { directory in
            // Port 1 on loopback: nothing listens there.
            let result = try ConfabProcess.run(
                ["apps", "create", "--name", "A", "--database", "postgres://confab:secret@127.0.0.1:1/chat"],
                in: directory)
            #expect(result.status != 0)
            #expect(result.errors.contains("cannot open postgres://confab@127.0.0.1:1/chat"), "\(result.errors)")
            #expect(!result.errors.contains("secret"))
        }
    }
}
