import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// `POST /users` (sign up), a user's own `PUT` and `DELETE /users/{id}`, the lookups (`GET
/// /users/{id}`, `/users/by_login`, `/users/by_email`, `/users/external/{id}`), the searches
/// (`GET /users/v2`, `GET /users`), and the administration key's `DELETE /admin/user/{user_id}`.
struct UserController {
    let store: any ChatStore
    let passwords: PasswordHasher
    let clock: @Sendable () -> Int64
    let limits: InputLimits
    let rateLimiting: RateLimiting

    func addRoutes(to authenticated: RouterGroup<ConfabRequestContext>, admin: RouterGroup<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("users") {
            authenticated.post(path) { request, context in
                try rateLimiting.admitAddress(context)
                return try await signUp(request, context: context)
            }
        }
        authenticated.get("users/:user_id") { _, context in try await find(.id(try userId(context)), context) }
        authenticated.put("users/:user_id") { request, context in try await update(request, context: context) }
        authenticated.delete("users/:user_id") { _, context in try await deleteOwn(context) }
        addSearches(to: authenticated)
        admin.delete("user/:user_id") { _, context in
            let application = try context.requireApplication()
            guard try await store.deleteUser(applicationId: application.id, id: try userId(context)) else {
                throw APIError.notFound("User not found")
            }
            return Response.json(ChatJSON.success)
        }
    }

    /// `GET /users` (v1), `/users/v2`, `/users/by_login`, `/users/by_email`, `/users/external/{id}`.
    private func addSearches(to authenticated: RouterGroup<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("users") {
            authenticated.get(path) { request, context in
                let session = try context.requireSession()
                let (query, page) = try UserQuery.v1(try await RequestParameters.collect(from: request, limits: limits))
                let users = try await store.users(applicationId: session.applicationId, query: query)
                return Response.json(ChatJSON.usersV1(users, currentPage: page))
            }
        }
        for path in RoutePaths.withJSONSuffix("users/v2") {
            authenticated.get(path) { request, context in
                let session = try context.requireSession()
                let query = try UserQuery.v2(try await RequestParameters.collect(from: request, limits: limits))
                return Response.json(
                    ChatJSON.usersV2(try await store.users(applicationId: session.applicationId, query: query)))
            }
        }
        for name in ["login", "email"] {
            for path in RoutePaths.withJSONSuffix("users/by_\(name)") {
                authenticated.get(path) { request, context in
                    var reader = try await reader(request)
                    let value = reader.string(name, maximumBytes: UserLimits.emailBytes, allowEmpty: false) ?? ""
                    if !reader.contains(name) { reader.fail(name, "is required") }
                    try reader.check()
                    return try await find(name == "login" ? .login(value) : .email(value), context)
                }
            }
        }
        authenticated.get("users/external/:external_id") { _, context in
            guard let id = Int64(try RoutePaths.parameter("external_id", of: context)), id > 0 else {
                throw ParameterErrors(parameter: "external_id", message: "must be an integer from 1 up")
            }
            return try await find(.externalUserId(id), context)
        }
    }

    private func userId(_ context: ConfabRequestContext) throws -> Int {
        guard let id = Int(try RoutePaths.parameter("user_id", of: context)), id > 0 else {
            throw ParameterErrors(parameter: "user_id", message: "must be an integer user id")
        }
        return id
    }

    private func reader(_ request: Request) async throws -> ParameterReader {
        ParameterReader(try await RequestParameters.object(from: request, limits: limits), unknownParameters: .chatAPI)
    }

    /// Any session of the application reads any of its users.
    private func find(_ key: UserKey, _ context: ConfabRequestContext) async throws -> Response {
        let session = try context.requireSession()
        guard let user = try await store.user(applicationId: session.applicationId, by: key) else {
            throw APIError.notFound("User not found")
        }
        return Response.json(ChatJSON.user(user))
    }

    /// The `user` object of a request, read into `user`.
    private func fields(of request: Request, into user: inout ChatUser) async throws -> (
        ParameterReader, UserFields.Secrets
    ) {
        var reader = try await reader(request)
        guard var fields = reader.object("user") else {
            try reader.check()
            throw ParameterErrors(parameter: "user", message: "is required: the user's fields, as user[…]")
        }
        let secrets = UserFields.read(from: &fields, into: &user)
        reader.merge(fields)
        return (reader, secrets)
    }

    /// Any session of the application may sign a user up.
    private func signUp(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let now = clock()
        var user = ChatUser(
            id: 0, applicationId: session.applicationId, login: nil, email: nil, createdAt: now, updatedAt: now)
        let (parsed, secrets) = try await fields(of: request, into: &user)
        var reader = parsed
        if user.login == nil, user.email == nil { reader.fail("user[login]", "is required (or email)") }
        if secrets.password == nil { reader.fail("user[password]", "is required") }
        try reader.check()
        let hash = try await passwords.hash(secrets.password ?? "")
        return try await storing {
            Response.json(ChatJSON.user(try await store.createUser(user, passwordHash: hash)), status: .created)
        }
    }

    /// A user changes their own account; a new password needs the old one.
    private func update(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        guard try self.userId(context) == userId else {
            throw APIError.forbidden("Forbidden. Users change their own account only")
        }
        guard let original = try await store.user(applicationId: applicationId, id: userId) else {
            throw APIError.notFound("User not found")
        }
        var user = original
        let (parsed, secrets) = try await fields(of: request, into: &user)
        var reader = parsed
        if secrets.password != nil, secrets.oldPassword == nil {
            reader.fail("user[old_password]", "is required with a new password")
        }
        try reader.check()
        var hash: String?
        if let password = secrets.password, let oldPassword = secrets.oldPassword {
            let stored = try await store.userCredentials(
                applicationId: applicationId, login: original.login, email: original.email)
            guard let stored, try await passwords.verify(oldPassword, hash: stored.passwordHash) else {
                throw ParameterErrors(parameter: "user[old_password]", message: "is not the current password")
            }
            hash = try await passwords.hash(password)
        }
        user.updatedAt = clock()
        return try await storing {
            try await store.updateUser(user, passwordHash: hash)
            return Response.json(ChatJSON.user(user))
        }
    }

    /// A user deletes their own account (and with it their sessions); 200 with no body.
    private func deleteOwn(_ context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        guard try self.userId(context) == userId else {
            throw APIError.forbidden("Forbidden. Users delete their own account only")
        }
        _ = try await store.deleteUser(applicationId: applicationId, id: userId)
        return Response(status: .ok)
    }

    /// A taken login, email or external user id is a 422 naming it.
    private func storing(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as StoreError where error.takenField != nil {
            throw ParameterErrors(parameter: "user[\(error.takenField!)]", message: "has already been taken")
        }
    }
}
