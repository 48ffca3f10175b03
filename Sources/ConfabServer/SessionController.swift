import ConfabCore
import ConfabStore
import Hummingbird

/// `POST /session` (signed with HMAC-SHA1, optionally signing a user in), `GET /session`,
/// `DELETE /session` and `POST /login`.
struct SessionController {
    let store: any ChatStore
    let passwords: PasswordHasher
    let clock: @Sendable () -> Int64
    let maximumBodySize: Int

    func addRoutes(to router: Router<ConfabRequestContext>, authenticated: RouterGroup<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("session") {
            router.post(path) { request, _ in try await create(request) }
            authenticated.get(path) { _, context in
                Response.json(ChatJSON.session(try context.requireSession(), token: nil))
            }
            authenticated.delete(path) { request, _ in
                _ = try await store.deleteSession(token: request.headers[SessionTokenMiddleware.tokenHeader] ?? "")
                return Response(status: .ok)
            }
        }
        for path in RoutePaths.withJSONSuffix("login") {
            authenticated.post(path) { request, context in try await signIn(request, context: context) }
        }
    }

    private func create(_ request: Request) async throws -> Response {
        let parameters = try await RequestParameters.object(from: request, maximumBodySize: maximumBodySize)
        var reader = ParameterReader(parameters)
        let applicationId = reader.integer("application_id", in: 1...Int64(Int32.max))
        let authKey = reader.string("auth_key", maximumBytes: 256, allowEmpty: false)
        let nonce = reader.integer("nonce")
        let timestamp = reader.integer("timestamp")
        let signature = reader.string("signature", maximumBytes: 256, allowEmpty: false)
        for key in ["application_id", "auth_key", "nonce", "timestamp", "signature"] where !reader.contains(key) {
            reader.fail(key, "is required")
        }
        var credentials: UserCredentials?
        if var user = reader.object("user") {
            credentials = UserCredentials.read(from: &user)
            reader.merge(user)
        }
        try reader.check()
        guard let applicationId, let authKey, let nonce, let timestamp, let signature else {
            throw ParameterErrors(parameter: "base", message: "is incomplete")
        }

        guard let secret = try await store.authSecret(applicationId: Int(applicationId)),
            let application = try await store.application(id: Int(applicationId)),
            ConstantTime.equal(application.authKey.utf8, authKey.utf8)
        else {
            throw APIError.unauthorized("Unknown application_id or auth_key")
        }
        guard SessionSignature.isValid(signature, for: parameters, secret: secret) else {
            throw APIError.unauthorized("Unexpected signature")
        }
        let now = clock()
        guard abs(now - timestamp) <= SessionPolicy.timestampWindow else {
            throw ParameterErrors(
                parameter: "timestamp",
                message: "must be within \(SessionPolicy.timestampWindow) seconds of the server's time (\(now))")
        }
        guard
            try await store.useNonce(
                applicationId: application.id, timestamp: timestamp, nonce: nonce,
                forgetBefore: now - SessionPolicy.timestampWindow)
        else {
            throw ParameterErrors(parameter: "nonce", message: "was used already with this timestamp")
        }
        var userId: Int?
        if let credentials {
            userId = try await authenticate(credentials, applicationId: application.id).id
        }
        let token = SessionToken.random()
        let session = try await store.createSession(
            applicationId: application.id, userId: userId, token: token, nonce: nonce, timestamp: timestamp, now: now)
        var response = Response.json(ChatJSON.session(session, token: token), status: .created)
        response.headers[SessionTokenMiddleware.expirationHeader] = SessionTokenMiddleware.expirationDate(
            session.expiresAt)
        return response
    }

    private func signIn(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let session = try context.requireSession()
        var reader = ParameterReader(
            try await RequestParameters.object(from: request, maximumBodySize: maximumBodySize))
        let credentials = UserCredentials.read(from: &reader)
        try reader.check()
        let user = try await authenticate(credentials, applicationId: session.applicationId)
        _ = try await store.signIn(sessionId: session.id, userId: user.id, now: clock())
        return Response.json(ChatJSON.user(user), status: .accepted)
    }

    /// The user whose login (or email) and password these are; one answer for an unknown login
    /// and a wrong password, so that logins cannot be probed.
    private func authenticate(_ credentials: UserCredentials, applicationId: Int) async throws -> ChatUser {
        guard
            let stored = try await store.userCredentials(
                applicationId: applicationId, login: credentials.login, email: credentials.email),
            try await passwords.verify(credentials.password, hash: stored.passwordHash)
        else {
            throw APIError.unauthorized("Unauthorized")
        }
        return stored.user
    }
}

/// `login` (or `email`) and `password`, as `POST /session` nests them in `user` and `POST /login`
/// sends them at the top level.
struct UserCredentials {
    var login: String?
    var email: String?
    var password: String

    static func read(from reader: inout ParameterReader) -> UserCredentials {
        let login = reader.string("login", maximumBytes: UserLimits.loginBytes.upperBound, allowEmpty: false)
        let email = reader.string("email", maximumBytes: UserLimits.emailBytes, allowEmpty: false)
        let password = reader.string("password", maximumBytes: UserLimits.passwordBytes.upperBound, allowEmpty: false)
        if !reader.contains("login"), !reader.contains("email") { reader.fail("login", "is required (or email)") }
        if !reader.contains("password") { reader.fail("password", "is required") }
        return UserCredentials(login: login, email: email, password: password ?? "")
    }
}
