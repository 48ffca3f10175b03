import AsyncHTTPClient
import ConfabCore
import ConfabData
import ConfabStore
import Foundation
import NIOCore
import Testing

@Suite("The confab command")
struct ConfabCommandTests {
    @Test("apps create prints the four keys once; the store knows the app by its admin key")
    func createsApplication() async throws {
        try await withTemporaryDirectory { directory in
            let result = try ConfabProcess.run(
                ["apps", "create", "--name", "Shop", "--json", "--database", "sqlite:shop.sqlite"], in: directory)
            #expect(result.status == 0, "\(result.errors)")
            let json = try #require(
                try JSONParser.parse(result.output.trimmingCharacters(in: .whitespacesAndNewlines)).objectValue)
            #expect(json.members.map(\.key) == ["application_id", "name", "auth_key", "auth_secret", "admin_api_key"])
            let adminKey = try #require(json["admin_api_key"]?.stringValue)
            let id = try #require(json["application_id"]?.integerValue)

            let store = try await SQLiteChatStore.open(path: directory.appendingPathComponent("shop.sqlite").path)
            let application = try await store.application(adminAPIKey: adminKey)
            try await store.close()
            #expect(application?.id == Int(id))
            #expect(application?.name == "Shop")
        }
    }

    @Test("seed writes the requested sizes, the same for the same seed")
    func seedsDeterministically() async throws {
        try await withTemporaryDirectory { directory in
            var firstIds: [ObjectId] = []
            for database in ["a.sqlite", "b.sqlite"] {
                let create = try ConfabProcess.run(
                    ["apps", "create", "--name", "A", "--database", database], in: directory)
                #expect(create.status == 0, "\(create.errors)")
                let seed = try ConfabProcess.run(
                    [
                        "seed", "--app", "1", "--dialogs", "40", "--messages", "321", "--random-seed", "9",
                        "--database", database,
                    ],
                    in: directory)
                #expect(seed.status == 0, "\(seed.errors)")
                #expect(seed.output.contains("40 dialogs, 321 messages"))

                let store = try await SQLiteChatStore.open(path: directory.appendingPathComponent(database).path)
                let dialogs = try await store.dialogs(applicationId: 1, query: ListQuery(limit: 1))
                let messages = try await store.messages(applicationId: 1, query: ListQuery())
                try await store.close()
                #expect(dialogs.totalEntries == 40)
                #expect(messages.totalEntries == 321)
                let ids = messages.items.map(\.id)
                if firstIds.isEmpty { firstIds = ids } else { #expect(ids == firstIds) }
            }
        }
    }

    @Test("bad arguments and an unknown application exit non-zero with a reason")
    func refusesBadArguments() throws {
        try withTemporaryDirectory { directory in
            let unknown = try ConfabProcess.run(
                ["seed", "--app", "7", "--dialogs", "2", "--messages", "3", "--database", "x.sqlite"], in: directory)
            #expect(unknown.status != 0)
            #expect(unknown.errors.contains("no application with id 7"))
            let noDialogs = try ConfabProcess.run(
                ["seed", "--app", "1", "--dialogs", "0", "--messages", "3"], in: directory)
            #expect(noDialogs.status != 0)
            #expect(noDialogs.errors.contains("--dialogs"))
            let badDatabase = try ConfabProcess.run(
                ["apps", "create", "--name", "A", "--database", "mysql://h/db"], in: directory)
            #expect(badDatabase.status != 0)
            #expect(badDatabase.errors.contains("--database"))
        }
    }

    @Test("serve --demo prints a key and a curl command that work against the running server")
    func demoServes() async throws {
        try await withTemporaryDirectory { directory in
            let server = try RunningServer(["serve", "--demo", "--port", "0"], in: directory)
            defer { server.stop() }
            let listening = /Listening on http:\/\/127\.0\.0\.1:(\d+)\n/
            let started = await server.waitForOutput(seconds: 120) { $0.contains(listening) }
            try #require(started, "server output: \(server.output)")
            let output = server.output
            let port = try #require(output.firstMatch(of: listening).flatMap { Int($0.1) })
            #expect(port > 0)
            let keyLine = try #require(output.split(separator: "\n").first { $0.contains("admin API key:") })
            let key = String(try #require(keyLine.split(separator: " ").dropFirst(3).first))
            #expect(
                output.contains(
                    "curl -X GET -H \"CB-Administration-API-Key: \(key)\" -d 'limit=3' http://127.0.0.1:\(port)/admin/chat/list"
                ))

            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/admin/chat/list")
            request.method = .GET
            request.headers.add(name: "CB-Administration-API-Key", value: key)
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "limit=3"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok)
            let body = try await response.body.collect(upTo: 1 << 20)
            let page = try #require(try JSONParser.parse(Array(body.readableBytesView)).objectValue)
            #expect(page["total_entries"]?.integerValue == Int64(SyntheticChatPlan.demo(applicationId: 1).dialogs))
            #expect(page["items"]?.arrayValue?.count == 3)
            let types = Set(try await allDialogTypes(port: port, key: key))
            #expect(types == [1, 2, 3, 4])
        }
    }

    private func allDialogTypes(port: Int, key: String) async throws -> [Int64] {
        var types: [Int64] = []
        for skip in stride(from: 0, to: 300, by: 100) {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/admin/chat/list.json?skip=\(skip)")
            request.headers.add(name: "CB-Administration-API-Key", value: key)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 22)
            let items = try JSONParser.parse(Array(body.readableBytesView)).objectValue?["items"]?.arrayValue ?? []
            types += items.compactMap { $0.objectValue?["type"]?.integerValue }
        }
        return types
    }
}

/// Runs `body` in a new empty directory that is removed afterwards.
func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("confab-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("confab-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
