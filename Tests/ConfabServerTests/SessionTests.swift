import ConfabCore
import ConfabRequests
import ConfabTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Sessions, users and tokens")
struct SessionTests {
    static let needUser = #"{"errors":{"base":["Forbidden. Need user."]}}"#

    @Test(
        "an application session reads but cannot write; its token's expiry is in the header",
        arguments: StoreKind.available)
    func applicationSession(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let parameters = api.sessionParameters()
            let response = try await api.send(.post, "/session.json", json: JSONValue.object(parameters).jsonText)
            #expect(response.status == .created)
            let session = try #require(response.object?["session"]?.objectValue)
            #expect(session.integer("application_id") == Int64(api.application.id))
            #expect(session.integer("user_id") == 0)
            #expect(session.integer("ts") == api.clock.now)
            #expect(session.string("token")?.count == 40)
            let expiry = SessionTests.expirationHeader(api.clock.now + 7_200)
            #expect(response.headers[.init("CB-Token-ExpirationDate")!] == expiry)
            let token = try #require(session.string("token"))

            let read = try await api.send(.get, "/session", token: token)
            #expect(read.status == .ok)
            // GET /session answers the token it was asked with (the SDK reads it), and no user.
            #expect(read.object?["session"]?.objectValue?.string("token") == token)
            #expect(read.object?["session"]?.objectValue?["user"] == nil)

            let alice = try await api.signUp("alice")
            let profile = try await api.send(.get, "/users/\(alice.id)", token: token)
            #expect(profile.object?["user"]?.objectValue?.string("login") == "alice")

            let before = try await api.adminSnapshot()
            for (method, path, body) in [
                (HTTPRequest.Method.post, "/chat/Dialog", #"{"type":2,"name":"x","occupants_ids":[\#(alice.id)]}"#),
                (.post, "/chat/Message", #"{"recipient_id":\#(alice.id),"message":"hi"}"#),
                (.get, "/chat/Dialog", nil),
            ] {
                let refused = try await api.send(method, path, token: token, json: body)
                #expect(refused.status == .forbidden, "\(path)")
                #expect(refused.text == SessionTests.needUser)
            }
            #expect(try await api.adminSnapshot() == before)
        }
    }

    @Test(
        "a replayed nonce, a stale timestamp, a wrong signature or key, or missing fields open no session",
        arguments: StoreKind.available)
    func refusedSessions(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let parameters = api.sessionParameters()
            let body = JSONValue.object(parameters).jsonText
            #expect(try await api.send(.post, "/session", json: body).status == .created)
            let replay = try await api.send(.post, "/session", json: body)
            #expect(replay.status == .unprocessableContent)
            #expect(!replay.errors(for: "nonce").isEmpty)

            var stale = parameters
            stale["nonce"] = .integer(999)
            stale["timestamp"] = .integer(api.clock.now - 3_601)
            stale["signature"] = .string(
                SessionSignature.sign(SessionSignature.message(stale), secret: api.credentials.authSecret))
            let staleResponse = try await api.send(.post, "/session", json: JSONValue.object(stale).jsonText)
            #expect(!staleResponse.errors(for: "timestamp").isEmpty, "\(staleResponse.text)")

            var forged = api.sessionParameters()
            forged["signature"] = .string(String(repeating: "0", count: 40))
            let forgedResponse = try await api.send(.post, "/session", json: JSONValue.object(forged).jsonText)
            #expect(forgedResponse.status == .unauthorized)
            #expect(forgedResponse.text == #"{"errors":["Unexpected signature"]}"#)

            var wrongKey = api.sessionParameters()
            wrongKey["auth_key"] = .string("not-the-key")
            wrongKey["signature"] = .string(
                SessionSignature.sign(SessionSignature.message(wrongKey), secret: api.credentials.authSecret))
            #expect(
                try await api.send(.post, "/session", json: JSONValue.object(wrongKey).jsonText).status == .unauthorized
            )

            let empty = try await api.send(.post, "/session", json: "{}")
            #expect(empty.status == .unprocessableContent)
            for name in ["application_id", "auth_key", "nonce", "timestamp", "signature"] {
                #expect(!empty.errors(for: name).isEmpty, "\(name)")
            }
        }
    }

    @Test(
        "a user session by login and password; a wrong password or unknown login is one 401",
        arguments: StoreKind.available)
    func userSessions(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice", password: "correct horse")
            let session = try await api.send(.get, "/session", token: alice.token)
            #expect(session.object?["session"]?.objectValue?.integer("user_id") == Int64(alice.id))
            for (login, password) in [("alice", "wrong horse"), ("nobody", "correct horse")] {
                let parameters = api.sessionParameters(login: login, password: password)
                let response = try await api.send(.post, "/session", json: JSONValue.object(parameters).jsonText)
                #expect(response.status == .unauthorized)
                #expect(response.text == #"{"errors":["Unauthorized"]}"#)
            }
            // The form body that older SDKs send works the same.
            var form = api.sessionParameters(login: "alice", password: "correct horse")
            form["user"] = nil
            var pairs = form.members.map { "\($0.key)=\(SessionTests.text($0.value))" }
            pairs += ["user%5Blogin%5D=alice", "user%5Bpassword%5D=correct+horse"]
            let formResponse = try await api.send(.post, "/session", form: pairs.joined(separator: "&"))
            #expect(formResponse.status == .created, "\(formResponse.text)")

            // Only a bcrypt hash of the password is kept.
            let stored = try #require(
                try await api.store.userCredentials(applicationId: api.application.id, login: "alice", email: nil))
            #expect(stored.passwordHash.hasPrefix("$2"))
            #expect(!stored.passwordHash.contains("correct horse"))
        }
    }

    @Test("POST /login makes an application session a user's", arguments: StoreKind.available)
    func login(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice", password: "correct horse")
            let token = try await api.openSession()
            let wrong = try await api.send(
                .post, "/login", token: token, json: #"{"login":"alice","password":"nope nope"}"#)
            #expect(wrong.status == .unauthorized)
            let signedIn = try await api.send(
                .post, "/login", token: token, json: #"{"login":"alice","password":"correct horse"}"#)
            #expect(signedIn.status == .accepted, "\(signedIn.text)")
            #expect(signedIn.object?["user"]?.objectValue?.integer("id") == Int64(alice.id))
            let session = try await api.send(.get, "/session", token: token)
            #expect(session.object?["session"]?.objectValue?.integer("user_id") == Int64(alice.id))
        }
    }

    @Test(
        "a token is extended at most once a minute: within it, a request only reads the session",
        arguments: StoreKind.available)
    func extendedOnceAMinute(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let token = try await api.openSession()
            let created = api.clock.now
            func expiry() async throws -> String? {
                try await api.send(.get, "/session", token: token).headers[.init("CB-Token-ExpirationDate")!]
            }
            api.clock.advance(by: SessionPolicy.refreshInterval)
            #expect(try await expiry() == SessionTests.expirationHeader(created + SessionPolicy.lifetime))
            api.clock.advance(by: 1)
            #expect(try await expiry() == SessionTests.expirationHeader(api.clock.now + SessionPolicy.lifetime))
        }
    }

    @Test("tokens live two hours from their last use; DELETE /session ends one", arguments: StoreKind.available)
    func slidingExpiry(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let token = try await api.openSession()
            for _ in 0..<3 {
                api.clock.advance(by: 7_199)
                let response = try await api.send(.get, "/session", token: token)
                #expect(response.status == .ok)
                #expect(
                    response.headers[.init("CB-Token-ExpirationDate")!]
                        == SessionTests.expirationHeader(api.clock.now + 7_200))
            }
            api.clock.advance(by: 7_200)
            let expired = try await api.send(.get, "/session", token: token)
            #expect(expired.status == .unauthorized)
            #expect(expired.text == #"{"errors":{"base":["Required session does not exist"]}}"#)

            let other = try await api.openSession()
            #expect(try await api.send(.delete, "/session", token: other).status == .ok)
            #expect(try await api.send(.get, "/session", token: other).status == .unauthorized)
            let missing = try await api.send(.get, "/session")
            #expect(missing.text == #"{"errors":{"base":["Required session does not exist"]}}"#)
        }
    }

    @Test("sign-up refuses a taken login and bad fields by name", arguments: StoreKind.available)
    func signUpValidation(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            _ = try await api.signUp("alice")
            let token = try await api.openSession()
            let taken = try await api.send(
                .post, "/users", token: token, json: #"{"user":{"login":"alice","password":"long enough"}}"#)
            #expect(taken.errors(for: "user[login]") == ["has already been taken"])
            let bad = try await api.send(
                .post, "/users", token: token, json: #"{"user":{"login":"ab","password":"short","email":"nope"}}"#)
            #expect(bad.status == .unprocessableContent)
            for name in ["user[login]", "user[password]", "user[email]"] {
                #expect(!bad.errors(for: name).isEmpty, "\(name): \(bad.text)")
            }
            #expect(!(try await api.send(.post, "/users", token: token, json: "{}")).errors(for: "user").isEmpty)
        }
    }

    @Test("DELETE /admin/user/{id} removes the user and their sessions", arguments: StoreKind.available)
    func deleteUser(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            #expect(try await api.send(.delete, "/admin/user/\(alice.id)").status == .unauthorized)
            let deleted = try await api.send(.delete, "/admin/user/\(alice.id)", admin: true)
            #expect(deleted.text == #"{"success":true}"#)
            #expect(try await api.send(.get, "/session", token: alice.token).status == .unauthorized)
            #expect(try await api.send(.delete, "/admin/user/\(alice.id)", admin: true).status == .notFound)
            let bad = try await api.send(.delete, "/admin/user/abc", admin: true)
            #expect(!bad.errors(for: "user_id").isEmpty)
        }
    }

    static func expirationHeader(_ seconds: Int64) -> String {
        UTCTimestamp.iso8601(seconds).replacingOccurrences(of: "T", with: " ").replacingOccurrences(
            of: "Z", with: " UTC")
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): string
        case .integer(let integer): String(integer)
        default: ""
        }
    }
}
