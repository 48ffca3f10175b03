import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// `POST /session` (signed with HMAC-SHA1, optionally signing a user in), `GET /session`,
/// `DELETE /session`, `POST /login` and `DELETE /login`.
struct SessionController {
    let store: any ChatStore
    let passwords: PasswordHasher
    let clock: @Sendable () -> Int64
    let limits: InputLimits
    let rateLimiting: RateLimiting

    func addRoutes(to router: Router<ConfabRequestContext>, authenticated: RouterGroup<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("session") {
            router.post(path) { request, context in
                try rateLimiting.admitAddress(context)
                return try await create(request)
            }
            authenticated.get(path) { request, context in
                let session = try context.requireSession()
                var user: ChatUser?
                if let userId = session.userId {
                    user = try await store.user(applicationId: session.applicationId, id: userId)
                }
                let token = request.headers[SessionTokenMiddleware.tokenHeader] ?? ""
                return Response.json(ChatJSON.session(session, token: token, user: user))
            }
            authenticated.delete(path) { request, _ in
                _ = try await store.deleteSession(token: request.headers[SessionTokenMiddleware.tokenHeader] ?? "")
                return Response(status: .ok)
            }
        }
        for path in RoutePaths.withJSONSuffix("login") {
            authenticated.post(path) { request, context in
                try rateLimiting.admitAddress(context)
                return try await signIn(request, context: context)
            }
            // The SDK's logout: the session stays, as the application's.
            authenticated.delete(path) { _, context in
                let session = try context.requireSession()
                _ = try await store.signIn(sessionId: session.id, userId: nil, now: clock())
                return Response(status: .ok)
            }
        }
    }

    private func create(_ request: Request) async throws -> Response {
        let parameters = try await RequestParameters.object(from: request, limits: limits)
        let signed = try SessionRequest.read(parameters)
        let (applicationId, authKey, nonce, timestamp) = (
            signed.applicationId, signed.authKey, signed.nonce, signed.timestamp
        )
        guard let secret = try await store.authSecret(applicationId: applicationId),
            let application = try await store.application(id: applicationId),
            ConstantTime.equal(application.authKey.utf8, authKey.utf8)
        else {
            throw APIError.unauthorized("Unknown application_id or auth_key")
        }
        guard signed.isSigned(with: secret) else {
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
        var user: ChatUser?
        if let credentials = signed.credentials {
            user = try await authenticate(credentials, applicationId: application.id)
        }
        let token = SessionToken.random()
        let session = try await store.createSession(
            applicationId: application.id, userId: user?.id, token: token, nonce: nonce, timestamp: timestamp,
            now: now)
        var response = Response.json(ChatJSON.session(session, token: token, user: user), status: .created)
        response.headers[SessionTokenMiddleware.expirationHeader] = SessionTokenMiddleware.expirationDate(
            session.expiresAt)
        return response
    }

    private func signIn(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let session = try context.requireSession()
        var reader = ParameterReader(
            try await RequestParameters.object(from: request, limits: limits), unknownParameters: .chatAPI)
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
