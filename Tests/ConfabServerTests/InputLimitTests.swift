import ConfabCore
import ConfabRequests
import ConfabServer
import ConfabTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every bound of `InputLimits`, and every case that once stopped or poisoned the server:
/// the over-limit input is a 4xx whose JSON body names the limit, nothing is written, and
/// the next good request is answered.
@Suite("Bounded input")
struct InputLimitTests {
    static let limits = InputLimits.standard

    /// `ChatPermissionTests`' group, with the tokens every endpoint needs.
    struct Scene: Sendable {
        let appToken: String
        let user: ChatUserSession
        let dialogId: String
    }

    static func scene(_ api: ChatAPITestClient) async throws -> Scene {
        let chat = try await ChatPermissionTests.scene(api)
        return Scene(appToken: try await api.openSession(), user: chat.alice, dialogId: chat.groupId)
    }

    /// Each endpoint that reads a body, with the credentials that get it as far as the parser.
    static func endpoints(_ scene: Scene) -> [(HTTPRequest.Method, String, String?, Bool)] {
        [
            (.post, "/session", nil, false),
            (.post, "/users", scene.appToken, false),
            (.post, "/login", scene.appToken, false),
            (.post, "/chat/Dialog", scene.user.token, false),
            (.post, "/chat/Message", scene.user.token, false),
            (.put, "/admin/chat/\(scene.dialogId)", nil, true),
            (.get, "/admin/chat/list", nil, true),
            (.get, "/chat/Dialog", scene.user.token, false),
        ]
    }

    /// The answer must be short and JSON, whatever the size of the input.
    static func expectRefusal(
        _ response: APIResponse, _ statuses: Set<HTTPResponse.Status>, naming fragment: String, _ what: String
    ) {
        #expect(statuses.contains(response.status), "\(what): \(response.status) \(response.text.prefix(300))")
        #expect(response.errors != nil, "\(what): a JSON errors body, got \(response.text.prefix(300))")
        #expect(response.bytes.count < 1_024, "\(what): \(response.bytes.count) bytes echoed back")
        #expect(response.text.contains(fragment), "\(what) names the limit: \(response.text.prefix(300))")
    }

    @Test(
        "60,000 levels of brackets on every endpoint: refused, and the server keeps serving",
        arguments: StoreKind.available)
    func deepBrackets(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let before = try await api.adminSnapshot()
            let deep = "a" + String(repeating: "[a]", count: 60_000) + "=1"
            let tenLevels = "a" + String(repeating: "[a]", count: Self.limits.maximumDepth) + "=1"
            for (method, path, token, admin) in Self.endpoints(scene) {
                let response = try await api.send(method, path, token: token, admin: admin, form: deep)
                Self.expectRefusal(response, [.unprocessableContent], naming: "256 bytes", "\(method) \(path) deep")
                let nested = try await api.send(method, path, token: token, admin: admin, form: tenLevels)
                if method == .get, !admin {
                    // A user list reads names as `field[operator]` and ignores the ones it does
                    // not know (`UnknownParameters.chatAPI`).
                    #expect(nested.status == .ok, "\(method) \(path) 11 levels: \(nested.text.prefix(300))")
                    continue
                }
                // The admin list reads names as `field[operator]`: there it is an unknown filter.
                Self.expectRefusal(
                    nested, [.unprocessableContent], naming: method == .get ? "a[a]" : "10 levels",
                    "\(method) \(path) 11 levels")
            }
            #expect(try await api.adminSnapshot() == before)
            #expect(try await api.send(.get, "/health").status == .ok)
        }
    }

    /// Each flood starts with a pair that is refused when it is decoded (`%zz` is no escape):
    /// the answer is the count's 413, not that pair's 422, only if the pairs were counted before
    /// any was decoded. (Process CPU time was the measure once; other suites running beside this
    /// one spend it too.)
    @Test("parameter floods are refused by their count before any pair is decoded", arguments: StoreKind.available)
    func parameterFloods(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let undecodable = "%zz=1&"
            let floods = [
                undecodable + String(repeating: "ids[]=1&", count: 32_000),
                undecodable + String(repeating: "a[]=&", count: 200_000),
                undecodable + String(repeating: "a=&", count: 300_000),
            ]
            for (method, path, token, admin) in Self.endpoints(scene) {
                let alone = try await api.send(method, path, token: token, admin: admin, form: undecodable)
                #expect(alone.status == .unprocessableContent, "\(method) \(path) %zz alone: \(alone.status)")
                for flood in floods {
                    let response = try await api.send(method, path, token: token, admin: admin, form: flood)
                    Self.expectRefusal(
                        response, [.contentTooLarge], naming: "at most 1000 parameters", "\(method) \(path) flood")
                }
            }
            // At the limit the request is read (and refused for what it says, not for its size).
            let atLimit = (0..<Self.limits.maximumParameters).map { "p\($0)=1" }.joined(separator: "&")
            let read = try await api.send(.get, "/admin/chat/list", admin: true, form: atLimit)
            #expect(read.status == .unprocessableContent)
            let overLimit = atLimit + "&one=more"
            let refused = try await api.send(.get, "/admin/chat/list", admin: true, form: overLimit)
            Self.expectRefusal(refused, [.contentTooLarge], naming: "1000 parameters", "1,001 parameters")
            #expect(try await api.send(.get, "/admin/chat/list", admin: true).status == .ok)
        }
    }

    @Test("names, values, arrays and JSON over their limits are 4xx naming the limit", arguments: StoreKind.available)
    func sizesAndCounts(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let token = scene.user.token
            let dialog = scene.dialogId
            let before = try await api.adminSnapshot()
            let longName = String(repeating: "n", count: 800_000)
            let cases: [(String?, String?, String)] = [
                (nil, "\(longName)=1", "256 bytes"),
                (nil, "chat_dialog_id=\(dialog)&message=\(String(repeating: "x", count: 131_073))", "131072 bytes"),
                (
                    #"{"chat_dialog_id":"\#(dialog)","message":"\#(String(repeating: "x", count: 131_073))"}"#, nil,
                    "131072 bytes"
                ),
                (#"{"chat_dialog_id":"\#(dialog)","\#(longName.prefix(300))":1}"#, nil, "256 bytes"),
                (
                    #"{"chat_dialog_id":"\#(dialog)","custom":[\#(Array(repeating: "1", count: 1_001).joined(separator: ","))]}"#,
                    nil, "1000 elements"
                ),
                (
                    nil, "chat_dialog_id=\(dialog)&" + (0..<1_001).map { "custom[k\($0)]=1" }.joined(separator: "&"),
                    "1000"
                ),
                (
                    #"{"chat_dialog_id":"\#(dialog)","custom":\#(String(repeating: "[", count: 11))1\#(String(repeating: "]", count: 11))}"#,
                    nil, "10 levels"
                ),
                (#"{"chat_dialog_id":"\#(dialog)","message":"a","message":"b"}"#, nil, "given twice"),
            ]
            for (json, form, fragment) in cases {
                let response = try await api.send(.post, "/chat/Message", token: token, json: json, form: form)
                Self.expectRefusal(
                    response, [.unprocessableContent, .contentTooLarge], naming: fragment,
                    String((json ?? form ?? "").prefix(80)))
            }
            #expect(try await api.adminSnapshot() == before)
            let good = try await api.send(
                .post, "/chat/Message", token: token, json: #"{"chat_dialog_id":"\#(dialog)","message":"fine"}"#)
            #expect(good.status == .created)
        }
    }

    @Test(
        "the deepest custom field accepted is listed everywhere; one level more is refused",
        arguments: StoreKind.available)
    func deepCustomFieldsStayReadable(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let token = scene.user.token
            let dialog = scene.dialogId
            // `custom` and its brackets: as many levels as a request may have.
            let deepest = "custom" + String(repeating: "[a]", count: Self.limits.maximumDepth - 1)
            let form = "chat_dialog_id=\(dialog)&message=deep&\(deepest)=1"
            let deepJSON =
                #"{"chat_dialog_id":"\#(dialog)","message":"deep json","custom_json":"#
                + String(repeating: #"{"a":"#, count: Self.limits.maximumDepth - 1) + "1"
                + String(repeating: "}", count: Self.limits.maximumDepth - 1) + "}"
            #expect(try await api.send(.post, "/chat/Message", token: token, form: form).status == .created)
            #expect(try await api.send(.post, "/chat/Message", token: token, json: deepJSON).status == .created)
            let before = try await api.adminSnapshot()
            let tooDeep = try await api.send(
                .post, "/chat/Message", token: token, form: "chat_dialog_id=\(dialog)&\(deepest)[a]=1")
            Self.expectRefusal(tooDeep, [.unprocessableContent], naming: "10 levels", "one level deeper")
            #expect(try await api.adminSnapshot() == before)
            for path in [
                "/admin/chat/messages/list", "/admin/chat/messages/list?chat_dialog_id=\(dialog)",
                "/admin/chat/list",
            ] {
                let list = try await api.send(.get, path, admin: true)
                #expect(list.status == .ok, "\(path): \(list.text.prefix(300))")
            }
            let listed = try await api.adminMessages()
            #expect(listed.values.contains { $0.string("message") == "deep" && $0["custom"] != nil })
            let mine = try await api.send(.get, "/chat/Message?chat_dialog_id=\(dialog)", token: token)
            #expect(mine.status == .ok, "\(mine.text.prefix(300))")
        }
    }
}

/// What never reaches a route: framing, sizes declared in the head, timeouts, the connection cap.
@Suite("HTTP framing and connections", .serialized)
struct ConnectionTests {
    static func withServer(
        _ connections: ConnectionLimits = .standard,
        _ body: @escaping @Sendable (Int, ChatAPITestClient) async throws -> Void
    ) async throws {
        try await withChatServer(.sqlite, testing: .live, configure: { $0.connections = connections }) { api in
            let port = try #require(api.client.port)
            try await body(port, api)
        }
    }

    static func json(_ response: RawResponse, _ status: Int, naming fragment: String, _ what: String) {
        #expect(response.status == status, "\(what): \(response.status) \(response.text)")
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(what)")
        #expect(
            (try? JSONParser.parse(response.body))?.objectValue?["errors"] != nil, "\(what): \(response.text)")
        #expect(response.text.contains(fragment), "\(what): \(response.text)")
    }

    @Test("malformed HTTP, a declared body over the limit and a long target get JSON errors; the server goes on")
    func framingErrors() async throws {
        try await Self.withServer { port, api in
            let chunked = try RawConnection(port: port)
            try chunked.send(
                "POST /session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nZZZ\r\nlimit=1\r\n0\r\n\r\n"
            )
            Self.json(try await chunked.readResponse(), 400, naming: "Malformed", "bad chunk size")
            #expect(await chunked.isClosedByServer())

            // Refused from the head alone: the test never sends the 100 MB.
            let declared = try RawConnection(port: port)
            try declared.send("POST /session HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
            Self.json(try await declared.readResponse(), 413, naming: "1048576 bytes", "declared 100 MB")
            #expect(await declared.isClosedByServer())

            let streamed = try RawConnection(port: port)
            try streamed.send("POST /session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = String(repeating: "a", count: 65_536)
            for _ in 0..<17 { try streamed.send(String(65_536, radix: 16) + "\r\n" + chunk + "\r\n") }
            Self.json(try await streamed.readResponse(), 413, naming: "1048576 bytes", "a chunked body over 1 MiB")

            let longTarget = try RawConnection(port: port)
            try longTarget.send("GET /health?\(String(repeating: "a", count: 20_000)) HTTP/1.1\r\nHost: x\r\n\r\n")
            Self.json(try await longTarget.readResponse(), 414, naming: "16384 bytes", "a 20 KB target")

            let manyHeaders = try RawConnection(port: port)
            try manyHeaders.send(
                "GET /health HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-\($0): 1\r\n" }.joined() + "\r\n")
            Self.json(try await manyHeaders.readResponse(), 400, naming: "Malformed", "101 header fields")

            let garbage = try RawConnection(port: port)
            try garbage.send("NOT HTTP AT ALL\r\n\r\n")
            Self.json(try await garbage.readResponse(), 400, naming: "Malformed", "garbage")

            #expect(try await api.send(.get, "/health").status == .ok)
        }
    }

    @Test("a head or a body that takes too long: answered 408 or closed")
    func timeouts() async throws {
        let limits = ConnectionLimits(
            headTimeout: .milliseconds(500), bodyTimeout: .milliseconds(500), idleTimeout: .milliseconds(500))
        try await Self.withServer(limits) { port, api in
            let silent = try RawConnection(port: port, timeout: 5)
            Self.json(try await silent.readResponse(), 408, naming: "in time", "nothing sent")

            let slowHead = try RawConnection(port: port, timeout: 5)
            try slowHead.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            Self.json(try await slowHead.readResponse(), 408, naming: "in time", "a head never finished")

            let slowBody = try RawConnection(port: port, timeout: 5)
            try slowBody.send("POST /session HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            #expect(await slowBody.isClosedByServer(), "a body never finished")
            _ = api
        }
    }

    @Test("kept alive past the idle timeout, after an answer or after an answer given before the body: closed")
    func idleTimeout() async throws {
        // Only the idle deadline is short. A loaded machine may take longer than a short head or
        // body deadline to send the next request or to answer, and those are tested above.
        let limits = ConnectionLimits(
            headTimeout: .seconds(30), bodyTimeout: .seconds(30), idleTimeout: .milliseconds(500))
        try await Self.withServer(limits) { port, _ in
            let idle = try RawConnection(port: port, timeout: 10)
            try idle.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await idle.readResponse().status == 200)
            #expect(await idle.isClosedByServer(), "kept alive past the idle timeout")

            let early = try RawConnection(port: port, timeout: 10)
            try early.send("POST /chat/Dialog HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n")
            #expect(try await early.readResponse().status == 401)
            try early.send("type=2")
            #expect(await early.isClosedByServer(), "kept alive past the idle timeout after an early answer")

            let next = try RawConnection(port: port, timeout: 10)
            try next.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await next.readResponse().status == 200)
        }
    }

    @Test("connections past the maximum are answered 503 and closed; a freed slot serves again")
    func connectionCap() async throws {
        try await Self.withServer(ConnectionLimits(headTimeout: .seconds(30), maximumConnections: 3)) { port, api in
            // The test's own client holds the first of the three.
            #expect(try await api.send(.get, "/health").status == .ok)
            let held = try (0..<2).map { _ in try RawConnection(port: port) }
            // Each held connection has been accepted once it answers a request.
            for connection in held {
                try connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await connection.readResponse().status == 200)
            }
            let refused = try RawConnection(port: port)
            Self.json(try await refused.readResponse(), 503, naming: "Too many connections", "a fourth connection")
            #expect(await refused.isClosedByServer())

            try held[0].send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try await held[0].readResponse().status == 200)
            #expect(await held[0].isClosedByServer())
            held[0].disconnect()
            // The server counts the close when it has run its side of it: try until it has.
            var served = false
            for _ in 0..<50 where !served {
                let next = try RawConnection(port: port)
                try? next.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                served = (try? await next.readResponse().status) == 200
            }
            #expect(served)
        }
    }

    struct Stop: Error {}

    @Test("a server stopped while connections still wait to be accepted stops cleanly, every time")
    func stopWithConnectionsQueued() async throws {
        // A burst of connections and at once an error out of the test: the server task is
        // cancelled with accepted connections still queued for the accept loop, which used
        // to trap in NIO (a writer released unfinished) and take the whole process down.
        for _ in 0..<20 {
            await #expect(throws: Stop.self) {
                try await Self.withServer { port, _ in
                    let burst = try (0..<64).map { _ in try RawConnection(port: port) }
                    withExtendedLifetime(burst) {}
                    throw Stop()
                }
            }
        }
    }

    @Test("300 slowloris connections do not stop a normal client; each is cut at the head timeout")
    func slowloris() async throws {
        let limits = ConnectionLimits(headTimeout: .seconds(3), maximumConnections: 1_000)
        try await Self.withServer(limits) { port, api in
            let attackers = try (0..<300).map { _ in try RawConnection(port: port, timeout: 10) }
            // Each sends part of a head, then a header line more: a head that never ends.
            for attacker in attackers { try attacker.send("GET /health HTTP/1.1\r\nHost: x\r\n") }
            for attacker in attackers { try? attacker.send("X-a: b\r\n") }
            let clock = ContinuousClock()
            var latencies = [Duration]()
            for _ in 0..<200 {
                let start = clock.now
                #expect(try await api.send(.get, "/health").status == .ok)
                latencies.append(clock.now - start)
            }
            latencies.sort()
            print("slowloris: a normal client's p50 \(latencies[100]), p99 \(latencies[197]) beside 300 slow heads")
            for attacker in attackers {
                #expect((try? await attacker.readResponse().status) == 408)
            }
        }
    }
}
