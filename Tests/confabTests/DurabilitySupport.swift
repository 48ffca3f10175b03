import AsyncHTTPClient
import ConfabCore
import ConfabRequests
import ConfabTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import SQLiteNIO
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the durability tests need beside `ConfabProcess`: a `confab serve` that can be sent a
/// signal and waited for, a client of the chat REST API over real HTTP, concurrent writers that
/// record each acknowledged message, and a raw TCP client that stops in the middle of a body.

struct DurabilityFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The keys `confab apps create --json` prints.
struct ApplicationKeys: Sendable {
    let id: Int64
    let authKey: String
    let authSecret: String
    let adminKey: String

    static func create(database: String, in directory: URL) throws -> ApplicationKeys {
        let result = try ConfabProcess.run(
            ["apps", "create", "--name", "Durable", "--json", "--database", database], in: directory)
        guard result.status == 0 else { throw DurabilityFailure("apps create: \(result.errors)") }
        let json = try JSONParser.parse(result.output.trimmingCharacters(in: .whitespacesAndNewlines)).objectValue
        guard let json, let id = json["application_id"]?.integerValue, let authKey = json["auth_key"]?.stringValue,
            let authSecret = json["auth_secret"]?.stringValue, let adminKey = json["admin_api_key"]?.stringValue
        else { throw DurabilityFailure("apps create printed \(result.output)") }
        return ApplicationKeys(id: id, authKey: authKey, authSecret: authSecret, adminKey: adminKey)
    }
}

/// The chat REST API and the admin list of one running server, over HTTP.
struct ChatHTTP: Sendable {
    let port: Int
    let keys: ApplicationKeys
    var client: HTTPClient { HTTPClient.shared }

    struct Answer: Sendable {
        let status: UInt
        let bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
        var object: JSONObject? { (try? JSONParser.parse(bytes))?.objectValue }
    }

    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, admin: Bool = false, json: String? = nil,
        timeout: TimeAmount = .seconds(20)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "CB-Token", value: token) }
        if admin { request.headers.add(name: "CB-Administration-API-Key", value: keys.adminKey) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 24)
        return Answer(status: response.status.code, bytes: Array(body.readableBytesView))
    }

    /// A signed session: the application's, or a user's with `login` and `password`.
    func session(login: String? = nil, password: String? = nil) async throws -> String {
        var parameters: JSONObject = [
            "application_id": .integer(keys.id),
            "auth_key": .string(keys.authKey),
            "nonce": .integer(Int64.random(in: 1...Int64(Int32.max))),
            "timestamp": .integer(Int64(Date().timeIntervalSince1970)),
        ]
        if let login, let password {
            parameters["user"] = .object(["login": .string(login), "password": .string(password)])
        }
        parameters["signature"] = .string(
            SessionSignature.sign(SessionSignature.message(parameters), secret: keys.authSecret))
        let answer = try await send(.POST, "/session", json: JSONValue.object(parameters).jsonText)
        guard answer.status == 201, let token = answer.object?["session"]?.objectValue?["token"]?.stringValue else {
            throw DurabilityFailure("POST /session: \(answer.status) \(answer.text)")
        }
        return token
    }

    /// Signs up a user with an application session; their id.
    func signUp(_ login: String, password: String, appToken: String) async throws -> Int64 {
        let answer = try await send(
            .POST, "/users", token: appToken, json: #"{"user":{"login":"\#(login)","password":"\#(password)"}}"#)
        guard answer.status == 201, let id = answer.object?["user"]?.objectValue?["id"]?.integerValue else {
            throw DurabilityFailure("POST /users: \(answer.status) \(answer.text)")
        }
        return id
    }

    /// Signs up two users, opens a session for the first and a group dialog of both: the
    /// writer's token and the dialog's id.
    func writerAndDialog() async throws -> (token: String, dialogId: String) {
        let appToken = try await session()
        _ = try await signUp("writer", password: "writer-secret-1", appToken: appToken)
        let readerId = try await signUp("reader", password: "reader-secret-1", appToken: appToken)
        let token = try await session(login: "writer", password: "writer-secret-1")
        let answer = try await send(
            .POST, "/chat/Dialog", token: token, json: #"{"type":2,"name":"Durable","occupants_ids":[\#(readerId)]}"#)
        guard answer.status == 201, let dialogId = answer.object?["_id"]?.stringValue else {
            throw DurabilityFailure("POST /chat/Dialog: \(answer.status) \(answer.text)")
        }
        return (token, dialogId)
    }

    /// Every message id of the admin list, by the reference's loop: `limit=100`, then
    /// `_id[lt]=<the last _id of the previous page>` until a short page.
    func allMessageIds() async throws -> Set<String> {
        var ids = Set<String>()
        var last: String?
        while true {
            let path = "/admin/chat/messages/list?limit=100" + (last.map { "&_id%5Blt%5D=\($0)" } ?? "")
            let answer = try await send(.GET, path, admin: true)
            guard answer.status == 200, let items = answer.object?["items"]?.arrayValue else {
                throw DurabilityFailure("GET \(path): \(answer.status) \(answer.text)")
            }
            let pageIds = items.compactMap { $0.objectValue?["_id"]?.stringValue }
            ids.formUnion(pageIds)
            guard pageIds.count == 100, let lastId = pageIds.last else { return ids }
            last = lastId
        }
    }

    /// The JSON body of `POST /chat/Message` with `text`.
    static func messageBody(dialogId: String, text: String) -> String {
        #"{"chat_dialog_id":"\#(dialogId)","message":"\#(text)"}"#
    }
}

/// What concurrent writers saw: every message acknowledged (201 with its `_id`), other answers,
/// and the errors that stopped them.
final class WriteLog: Sendable {
    private struct State {
        var acknowledged: [String] = []
        var otherAnswers: [String] = []
        var errors: [String] = []
    }
    private let state = Mutex(State())
    private let milestone: Int
    private let reached: AsyncStream<Void>
    private let reach: AsyncStream<Void>.Continuation

    /// `milestone`: the number of acknowledgements `waitForMilestone` waits for.
    init(milestone: Int) {
        self.milestone = milestone
        (reached, reach) = AsyncStream.makeStream(of: Void.self)
    }

    var acknowledged: [String] { state.withLock { $0.acknowledged } }
    var otherAnswers: [String] { state.withLock { $0.otherAnswers } }
    var errors: [String] { state.withLock { $0.errors } }

    func acknowledge(_ id: String) {
        let count = state.withLock { state in
            state.acknowledged.append(id)
            return state.acknowledged.count
        }
        if count == milestone { reach.yield() }
    }

    func other(_ answer: String) { state.withLock { $0.otherAnswers.append(answer) } }
    func error(_ error: String) { state.withLock { $0.errors.append("\(ContinuousClock.now) \(error)") } }

    /// True once `milestone` writes are acknowledged; false if the writers all stopped first.
    func waitForMilestone() async -> Bool {
        for await _ in reached { return true }
        return false
    }

    /// The writers have stopped.
    func finish() { reach.finish() }
}

/// `count` writers, each posting messages with unique texts one after another until an answer is
/// not a 201 or a request fails (the server has gone), or `limit` messages each.
func runWriters(
    _ count: Int, http: ChatHTTP, token: String, dialogId: String, log: WriteLog, limit: Int = 5_000
) async {
    await withTaskGroup(of: Void.self) { group in
        for writer in 0..<count {
            group.addTask {
                for sequence in 0..<limit {
                    let text = "writer \(writer) message \(sequence) \(UUID().uuidString)"
                    do {
                        let answer = try await http.send(
                            .POST, "/chat/Message", token: token,
                            json: ChatHTTP.messageBody(dialogId: dialogId, text: text))
                        guard answer.status == 201, let id = answer.object?["_id"]?.stringValue else {
                            log.other("\(answer.status) \(answer.text)")
                            return
                        }
                        log.acknowledge(id)
                    } catch {
                        log.error("\(error)")
                        return
                    }
                }
            }
        }
    }
    log.finish()
}

/// `PRAGMA integrity_check` of the SQLite file at `path`, opened on its own connection: "ok"
/// when the file is sound, else SQLite's list of problems.
func sqliteIntegrityCheck(path: String) async throws -> String {
    let connection = try await SQLiteConnection.open(storage: .file(path: path))
    do {
        let rows = try await connection.query("PRAGMA integrity_check")
        try await connection.close()
        return rows.compactMap { $0.column("integrity_check")?.string }.joined(separator: "\n")
    } catch {
        try? await connection.close()
        throw error
    }
}

/// Runs `body` with the URL of a new, empty database of `kind` and a new directory to run
/// `confab` in: a SQLite file in that directory, or a new database on the test PostgreSQL server.
func withDurabilityDatabase(
    _ kind: StoreKind, _ body: (_ url: String, _ sqlitePath: String?, _ directory: URL) async throws -> Void
) async throws {
    try await withTemporaryDirectory { directory in
        switch kind {
        case .sqlite:
            let path = directory.appendingPathComponent("durable.sqlite").path
            try await body("sqlite:\(path)", path, directory)
        case .postgres:
            try await PostgresTestServer.fromEnvironment().withNewDatabases(1) { urls in
                try await body("\(urls[0])", nil, directory)
            }
        }
    }
}
