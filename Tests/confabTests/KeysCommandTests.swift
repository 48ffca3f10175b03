import AsyncHTTPClient
import ConfabCore
import ConfabRequests
import Foundation
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `confab keys` beside a running `confab serve` on the same database, and that server's whole
/// log (JSON, at trace) free of every key, token, password and secret it was given.
@Suite("confab keys and the server's logs", .serialized)
struct KeysCommandTests {
    @Test("keys create, list, rotate and revoke work on a live server's database; its log shows no secret")
    func keysBesideServer() async throws {
        try await withTemporaryDirectory { directory in
            let database = ["--database", "sqlite:\(directory.appendingPathComponent("keys.sqlite").path)"]
            let created = try Self.json(
                ConfabProcess.run(["apps", "create", "--name", "K", "--json"] + database, in: directory))
            let appId = try #require(created["application_id"]?.integerValue)
            let adminKey = try #require(created["admin_api_key"]?.stringValue)
            let authKey = try #require(created["auth_key"]?.stringValue)
            let authSecret = try #require(created["auth_secret"]?.stringValue)
            let app = ["--app", String(appId)]

            let server = try RunningServer(
                ["serve", "--port", "0", "--metrics-port", "0", "--log-format", "json", "--log-level", "trace"]
                    + database, in: directory)
            defer { server.stop() }
            let port = try await server.port()
            let base = "http://127.0.0.1:\(port)"
            let metricsLine = /Metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics\n/
            try #require(await server.waitForOutput(seconds: 60) { $0.contains(metricsLine) }, "\(server.output)")
            let metricsPort = try #require(server.output.firstMatch(of: metricsLine).flatMap { Int($0.1) })

            // A read key, made while the server runs: it reads at once, and cannot write.
            let read = try Self.json(
                ConfabProcess.run(
                    ["keys", "create", "--scope", "read", "--name", "exports", "--json"] + app + database, in: directory
                ))
            #expect(read.members.map(\.key) == ["name", "scope", "admin_api_key"])
            #expect(read["name"]?.stringValue == "exports" && read["scope"]?.stringValue == "read")
            let readKey = try #require(read["admin_api_key"]?.stringValue)
            #expect(try await Self.send(.GET, "\(base)/admin/chat/list", key: readKey).status == 200)
            let refused = try await Self.send(
                .POST, "\(base)/admin/chat", key: readKey, json: #"{"type":1,"name":"x"}"#)
            #expect(refused.status == 403)
            #expect(refused.body.contains("scope admin"))

            let listed = try ConfabProcess.run(["keys", "list", "--json"] + app + database, in: directory)
            #expect(listed.status == 0, "\(listed.errors)")
            let keys = try #require(
                try JSONParser.parse(Array(listed.output.utf8)).arrayValue?.compactMap(\.objectValue))
            #expect(keys.map { $0["name"]?.stringValue } == ["default", "exports"])
            #expect(keys.map { $0["scope"]?.stringValue } == ["admin", "read"])
            #expect(keys[1]["last_used_at"]?.integerValue != nil)
            #expect(!listed.output.contains(readKey) && !listed.output.contains(adminKey))
            let table = try ConfabProcess.run(["keys", "list"] + app + database, in: directory)
            #expect(table.output.contains("NAME") && table.output.contains("exports") && table.output.contains("never"))

            // Rotation: both keys work through the grace period.
            let rotated = try Self.json(
                ConfabProcess.run(
                    ["keys", "rotate", "--name", "exports", "--grace", "1h", "--json"] + app + database, in: directory))
            let newKey = try #require(rotated["admin_api_key"]?.stringValue)
            #expect(newKey != readKey && rotated["scope"]?.stringValue == "read")
            for key in [readKey, newKey] {
                #expect(try await Self.send(.GET, "\(base)/admin/chat/list", key: key).status == 200)
            }
            // Revocation: both refused at once.
            let revoked = try ConfabProcess.run(
                ["keys", "revoke", "--name", "exports"] + app + database, in: directory)
            #expect(revoked.status == 0 && revoked.output.contains("revoked 2 keys"), "\(revoked.errors)")
            for key in [readKey, newKey] {
                #expect(try await Self.send(.GET, "\(base)/admin/chat/list", key: key).status == 401)
            }
            let again = try ConfabProcess.run(["keys", "revoke", "--name", "exports"] + app + database, in: directory)
            #expect(again.status != 0 && again.errors.contains("no key named exports"))
            let badScope = try ConfabProcess.run(
                ["keys", "create", "--scope", "root", "--name", "x"] + app + database, in: directory)
            #expect(badScope.status != 0)

            // A user's whole round: sessions, a password, a dialog and a message.
            let password = "pw-\(UUID().uuidString)"
            let appToken = try await Self.session(base, appId: appId, authKey: authKey, secret: authSecret)
            let signUp = try await Self.send(
                .POST, "\(base)/users", token: appToken,
                json: #"{"user":{"login":"ann","password":"\#(password)"}}"#)
            #expect(signUp.status == 201, "\(signUp.body)")
            let annId = try #require(
                try JSONParser.parse(Array(signUp.body.utf8)).objectValue?["user"]?.objectValue?["id"]?.integerValue)
            let userToken = try await Self.session(
                base, appId: appId, authKey: authKey, secret: authSecret, login: "ann", password: password)
            let wrongLogin = try await Self.send(
                .POST, "\(base)/login", token: appToken, json: #"{"login":"ann","password":"\#(password)x"}"#)
            #expect(wrongLogin.status == 401)
            let dialog = try await Self.send(
                .POST, "\(base)/chat/Dialog", token: userToken, json: #"{"type":1,"name":"Notes"}"#)
            #expect(dialog.status == 201 || dialog.status == 403, "\(dialog.body)")
            let admin = try await Self.send(
                .POST, "\(base)/admin/chat", key: adminKey, json: #"{"type":1,"name":"News","user_id":\#(annId)}"#)
            #expect(admin.status == 201, "\(admin.body)")
            #expect(try await Self.send(.GET, "\(base)/admin/chat/messages/export", key: adminKey).status == 200)

            let metrics = try await Self.send(.GET, "http://127.0.0.1:\(metricsPort)/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains(#"confab_http_requests_total{"#))

            server.send(SIGTERM)
            #expect(await server.waitForExit(within: 30))
            _ = await server.waitForOutput(seconds: 5) { _ in false }
            let log = server.output
            for (what, secret) in [
                ("admin key", adminKey), ("read key", readKey), ("rotated key", newKey), ("auth secret", authSecret),
                ("password", password), ("application token", appToken), ("user token", userToken),
            ] {
                #expect(!log.contains(secret), "the log holds the \(what)")
            }
            // Every line is a JSON object, but the lines that say where the server listens.
            var requestLines = 0
            for line in log.split(separator: "\n")
            where !line.hasPrefix("Listening on ") && !line.hasPrefix("Metrics on ") && !line.hasPrefix("Data: ") {
                let object = try #require(try? JSONParser.parse(Array(line.utf8)).objectValue, "not JSON: \(line)")
                if object["message"]?.stringValue == "request" {
                    requestLines += 1
                    #expect(object["request_id"]?.stringValue?.isEmpty == false)
                }
            }
            // One line for each of the 13 requests above (the metrics port logs none).
            #expect(requestLines == 13)
        }
    }

    static func json(_ result: ConfabProcess.Result) throws -> JSONObject {
        try #require(result.status == 0, "\(result.errors)")
        return try #require(try JSONParser.parse(Array(result.output.utf8)).objectValue, "\(result.output)")
    }

    static func session(
        _ base: String, appId: Int64, authKey: String, secret: String, login: String? = nil, password: String? = nil
    ) async throws -> String {
        var parameters: JSONObject = [
            "application_id": .integer(appId), "auth_key": .string(authKey),
            "nonce": .integer(Int64.random(in: 1...1_000_000_000)),
            "timestamp": .integer(Int64(Date().timeIntervalSince1970)),
        ]
        if let login, let password {
            parameters["user"] = .object(["login": .string(login), "password": .string(password)])
        }
        parameters["signature"] = .string(SessionSignature.sign(SessionSignature.message(parameters), secret: secret))
        let response = try await send(.POST, "\(base)/session", json: JSONValue.object(parameters).jsonText)
        try #require(response.status == 201, "\(response.body)")
        let object = try #require(try JSONParser.parse(Array(response.body.utf8)).objectValue)
        return try #require(object["session"]?.objectValue?["token"]?.stringValue)
    }

    static func send(
        _ method: HTTPMethod, _ url: String, key: String? = nil, token: String? = nil, json: String? = nil
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let key { request.headers.add(name: "CB-Administration-API-Key", value: key) }
        if let token { request.headers.add(name: "CB-Token", value: token) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), String(buffer: body))
    }
}
