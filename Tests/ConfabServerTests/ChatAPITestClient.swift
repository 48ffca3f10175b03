import ConfabCore
import ConfabRequests
import ConfabServer
import ConfabStore
import ConfabTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A clock that moves only when a test moves it, so that expiry and `updated_at` are exact.
final class TestClock: Sendable {
    private let seconds: Mutex<Int64>

    init(_ start: Int64) {
        seconds = Mutex(start)
    }

    var now: Int64 { seconds.withLock { $0 } }

    func advance(by delta: Int64) {
        seconds.withLock { $0 += delta }
    }
}

/// Runs `body` against the real application on a fresh store, with one application whose
/// credentials the client knows, a test clock, and the cheapest bcrypt cost.
func withChatServer<Result: Sendable>(
    _ kind: StoreKind,
    testing: TestingSetup = .router,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @escaping @Sendable (ChatAPITestClient) async throws -> Result
) async throws -> Result {
    try await withTemporaryStore(kind) { store in
        let credentials = ApplicationCredentials(
            authKey: "test-auth-key", authSecret: "test-auth-secret", adminAPIKey: "test-admin-key")
        let application = try await store.createApplication(name: "Test", credentials: credentials, createdAt: 0)
        let clock = TestClock(1_750_000_000)
        var configuration = ServerConfiguration(port: 0, passwordHashCost: 4, clock: { clock.now })
        configure(&configuration)
        let server = buildApplication(configuration, store: store)
        return try await server.test(testing) { client in
            try await body(
                ChatAPITestClient(
                    client: client, store: store, application: application, credentials: credentials, clock: clock))
        }
    }
}

/// Requests to the chat REST API as an application's users make them, and their answers.
struct ChatAPITestClient: Sendable {
    let client: any TestClientProtocol
    let store: any ChatStore
    let application: ChatApplication
    let credentials: ApplicationCredentials
    let clock: TestClock
    private let nonces = Nonces()

    init(
        client: any TestClientProtocol, store: any ChatStore, application: ChatApplication,
        credentials: ApplicationCredentials, clock: TestClock
    ) {
        self.client = client
        self.store = store
        self.application = application
        self.credentials = credentials
        self.clock = clock
    }

    private final class Nonces: Sendable {
        let next = Mutex<Int64>(1)
        func take() -> Int64 {
            next.withLock { value in
                defer { value += 1 }; return value
            }
        }
    }

    /// A second application in the same store and server, and a client for it.
    func otherApplication() async throws -> ChatAPITestClient {
        let credentials = ApplicationCredentials(
            authKey: "other-auth-key", authSecret: "other-auth-secret", adminAPIKey: "other-admin-key")
        let application = try await store.createApplication(name: "Other", credentials: credentials, createdAt: 0)
        return ChatAPITestClient(
            client: client, store: store, application: application, credentials: credentials, clock: clock)
    }

    /// Sends a request; `json` goes as an application/json body, `form` as a form body. `admin`
    /// sends the application's first administration key, `adminKey` another.
    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        admin: Bool = false,
        adminKey: String? = nil,
        json: String? = nil,
        form: String? = nil
    ) async throws -> APIResponse {
        var headers = HTTPFields()
        if let token { headers[HTTPField.Name("CB-Token")!] = token }
        if let key = adminKey ?? (admin ? credentials.adminAPIKey : nil) {
            headers[HTTPField.Name("CB-Administration-API-Key")!] = key
        }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        return APIResponse(response)
    }

    /// The signed parameters of `POST /session`, with a fresh nonce and the clock's time.
    func sessionParameters(login: String? = nil, password: String? = nil) -> JSONObject {
        var parameters: JSONObject = [
            "application_id": .integer(Int64(application.id)),
            "auth_key": .string(credentials.authKey),
            "nonce": .integer(nonces.take()),
            "timestamp": .integer(clock.now),
        ]
        if let login, let password {
            parameters["user"] = .object(["login": .string(login), "password": .string(password)])
        }
        parameters["signature"] = .string(
            SessionSignature.sign(SessionSignature.message(parameters), secret: credentials.authSecret))
        return parameters
    }

    /// A new session's token: the application's, or a user's with `login` and `password`.
    func openSession(login: String? = nil, password: String? = nil) async throws -> String {
        let response = try await send(
            .post, "/session", json: JSONValue.object(sessionParameters(login: login, password: password)).jsonText)
        try #require(response.status == .created, "POST /session: \(response.text)")
        return try #require(response.object?["session"]?.objectValue?["token"]?.stringValue)
    }

    /// Signs a user up with an application session and signs them in.
    func signUp(_ login: String, password: String = "password-\(UUID().uuidString.prefix(8))") async throws
        -> ChatUserSession
    {
        let appToken = try await openSession()
        let response = try await send(
            .post, "/users", token: appToken,
            json: #"{"user":{"login":"\#(login)","password":"\#(password)","full_name":"\#(login.capitalized)"}}"#)
        try #require(response.status == .created, "POST /users: \(response.text)")
        let id = try #require(response.object?["user"]?.objectValue?["id"]?.integerValue)
        let token = try await openSession(login: login, password: password)
        return ChatUserSession(id: Int(id), login: login, password: password, token: token)
    }

    /// Every dialog the admin list shows, by id.
    func adminDialogs() async throws -> [String: JSONObject] {
        try await adminItems("/admin/chat/list?limit=100")
    }

    /// Every message the admin list shows, by id.
    func adminMessages() async throws -> [String: JSONObject] {
        try await adminItems("/admin/chat/messages/list?limit=100")
    }

    private func adminItems(_ path: String) async throws -> [String: JSONObject] {
        let response = try await send(.get, path, admin: true)
        try #require(response.status == .ok, "\(path): \(response.text)")
        let items = response.object?["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
        return Dictionary(uniqueKeysWithValues: items.map { ($0["_id"]?.stringValue ?? "", $0) })
    }

    /// Both admin lists as bytes, to show that a refused request changed nothing.
    func adminSnapshot() async throws -> [UInt8] {
        let dialogs = try await send(.get, "/admin/chat/list?limit=100", admin: true)
        let messages = try await send(.get, "/admin/chat/messages/list?limit=100", admin: true)
        return dialogs.bytes + messages.bytes
    }
}

/// A signed-in user of the test application.
struct ChatUserSession: Sendable {
    let id: Int
    let login: String
    let password: String
    let token: String
}

/// A response with its body parsed, if it is JSON.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let bytes: [UInt8]

    init(_ response: TestResponse) {
        status = response.status
        headers = response.headers
        bytes = Array(response.body.readableBytesView)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
    var json: JSONValue? { try? JSONParser.parse(bytes) }
    var object: JSONObject? { json?.objectValue }
    var errors: JSONValue? { object?["errors"] }

    /// The messages of a keyed validation error for `parameter`.
    func errors(for parameter: String) -> [String] {
        errors?.objectValue?[parameter]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

extension JSONObject {
    func integers(_ key: String) -> [Int64]? {
        self[key]?.arrayValue?.compactMap(\.integerValue)
    }

    func string(_ key: String) -> String? { self[key]?.stringValue }
    func integer(_ key: String) -> Int64? { self[key]?.integerValue }
}
