import AsyncHTTPClient
import ConfabCore
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

/// A `confab serve` child process whose pid the test signals; its output goes to a stream.
final class SignalledServer: @unchecked Sendable {
    let process: Process
    private let chunks: AsyncStream<String>
    private let exited: AsyncStream<Void>
    private var seen = ""
    private let exitTime = ExitTime()

    private final class ExitTime: Sendable {
        let instant = Mutex<ContinuousClock.Instant?>(nil)
    }

    /// When the process ended, as its termination handler saw it.
    var exitedAt: ContinuousClock.Instant? { exitTime.instant.withLock { $0 } }

    init(_ arguments: [String], in directory: URL) throws {
        process = Process()
        process.executableURL = ConfabProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let (chunks, continuation) = AsyncStream.makeStream(of: String.self)
        self.chunks = chunks
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
            } else {
                continuation.yield(String(decoding: data, as: UTF8.self))
            }
        }
        let (exited, exit) = AsyncStream.makeStream(of: Void.self)
        self.exited = exited
        let exitTime = exitTime
        process.terminationHandler = { _ in
            exitTime.instant.withLock { $0 = .now }
            exit.yield()
            exit.finish()
        }
        try process.run()
    }

    /// Everything the server printed that has been read so far.
    var output: String { seen }

    /// The port from `Listening on http://127.0.0.1:PORT`; the server is killed if it has not
    /// printed it within `seconds`.
    func port(within seconds: Int = 120) async throws -> Int {
        let listening = /Listening on http:\/\/127\.0\.0\.1:(\d+)\n/
        let watchdog = Task { [process] in
            try await Task.sleep(for: .seconds(seconds))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        defer { watchdog.cancel() }
        if let match = seen.firstMatch(of: listening), let port = Int(match.1) { return port }
        for await chunk in chunks {
            seen += chunk
            if let match = seen.firstMatch(of: listening), let port = Int(match.1) { return port }
        }
        throw DurabilityFailure("confab serve did not start listening: \(seen)")
    }

    func send(_ signal: Int32) {
        _ = kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end: true when it has, false when it still runs after `seconds`.
    func waitForExit(within seconds: Double) async -> Bool {
        if !process.isRunning { return true }
        let exited = exited
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in exited { return true }
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first || !process.isRunning
        }
    }

    /// Kills the process if it still runs (the tests' `defer`), and reaps it.
    func stop() {
        if process.isRunning {
            send(SIGKILL)
            process.waitUntilExit()
        }
    }
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

/// A raw TCP connection to 127.0.0.1 (POSIX sockets), to send part of a request and stop.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32
    let serverPort: Int

    init(port: Int) throws {
        serverPort = port
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DurabilityFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw DurabilityFailure("connect to port \(port): errno \(errno)")
        }
        // Reads give up after 20 s, so a server that never answers fails the test, not hangs it.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// This end's port, as the server sees it.
    var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard result > 0 else { throw DurabilityFailure("send: errno \(errno)") }
            sent += result
        }
    }

    /// Waits until the server process has read every byte sent so far: its end of this
    /// connection has an empty receive queue in /proc/net/tcp. NIO decodes what it reads in the
    /// same event-loop turn, so from then on the server counts the request as in progress.
    func waitUntilServerHasRead(within seconds: Double = 10) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let clientPort = localPort
        while ContinuousClock.now < deadline {
            if Self.receiveQueue(local: serverPort, remote: clientPort) == 0 { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw DurabilityFailure("the server did not read the request within \(seconds) s")
    }

    /// The receive queue of the IPv4 socket bound to `local` and connected to `remote`.
    static func receiveQueue(local: Int, remote: Int) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return nil }
        defer { try? handle.close() }
        let table = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { continue }
            func port(_ field: Substring) -> Int? { field.split(separator: ":").last.flatMap { Int($0, radix: 16) } }
            if port(fields[1]) == local, port(fields[2]) == remote {
                return fields[4].split(separator: ":").last.flatMap { Int($0, radix: 16) }
            }
        }
        return nil
    }

    /// Reads one response (head and a `Content-Length` body, or up to the end of the stream):
    /// its status and body, or nil when the connection ends or times out before a status line.
    func readResponse() async -> (status: Int, body: String)? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.blockingReadResponse()) }
        }
    }

    /// Reads until the server closes the connection or the read times out; whether it closed.
    func waitForClose() async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = recv(self.descriptor, &buffer, buffer.count, 0)
                    if count == 0 { return continuation.resume(returning: true) }
                    if count < 0 { return continuation.resume(returning: errno == ECONNRESET) }
                }
            }
        }
    }

    private func blockingReadResponse() -> (status: Int, body: String)? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator = Array("\r\n\r\n".utf8)
        var ended = false
        while true {
            if let range = received.firstRange(of: separator) {
                let head = String(decoding: received[..<range.lowerBound], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let statusWords = lines.first?.split(separator: " ") ?? []
                guard statusWords.count > 1, let status = Int(statusWords[1]) else { return nil }
                let length = lines.dropFirst().compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first
                let body = received[range.upperBound...]
                if let length, body.count >= length {
                    return (status, String(decoding: body.prefix(length), as: UTF8.self))
                }
                if ended { return (status, String(decoding: body, as: UTF8.self)) }
            } else if ended {
                return nil
            }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { ended = true } else { received += buffer[..<count] }
        }
    }
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
