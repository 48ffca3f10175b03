import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// `POST /users` (sign up), `GET /users/{id}`, and the administration key's
/// `DELETE /admin/user/{user_id}`.
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
        authenticated.get("users/:user_id") { _, context in
            let session = try context.requireSession()
            guard let user = try await store.user(applicationId: session.applicationId, id: try userId(context)) else {
                throw APIError.notFound("User not found")
            }
            return Response.json(ChatJSON.user(user))
        }
        admin.delete("user/:user_id") { _, context in
            let application = try context.requireApplication()
            guard try await store.deleteUser(applicationId: application.id, id: try userId(context)) else {
                throw APIError.notFound("User not found")
            }
            return Response.json(ChatJSON.success)
        }
    }

    private func userId(_ context: ConfabRequestContext) throws -> Int {
        guard let id = Int(try RoutePaths.parameter("user_id", of: context)), id > 0 else {
            throw ParameterErrors(parameter: "user_id", message: "must be an integer user id")
        }
        return id
    }

    /// Any session of the application may sign a user up; fields other than these are ignored,
    /// as ConnectyCube's SDKs send profile fields Confab does not keep.
    private func signUp(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let session = try context.requireSession()
        var reader = ParameterReader(
            try await RequestParameters.object(from: request, limits: limits))
        guard var fields = reader.object("user") else {
            try reader.check()
            throw ParameterErrors(
                parameter: "user", message: "is required: user[login] or user[email], and user[password]")
        }
        let login = fields.string("login", maximumBytes: UserLimits.loginBytes.upperBound, allowEmpty: false)
        if let login, login.utf8.count < UserLimits.loginBytes.lowerBound {
            fields.fail(
                "login", "must be \(UserLimits.loginBytes.lowerBound) to \(UserLimits.loginBytes.upperBound) bytes")
        }
        let email = fields.string("email", maximumBytes: UserLimits.emailBytes, allowEmpty: false)
        if let email, !email.contains("@") { fields.fail("email", "must be an email address") }
        let password = fields.string("password", maximumBytes: UserLimits.passwordBytes.upperBound, allowEmpty: false)
        if let password, password.utf8.count < UserLimits.passwordBytes.lowerBound {
            fields.fail(
                "password",
                "must be \(UserLimits.passwordBytes.lowerBound) to \(UserLimits.passwordBytes.upperBound) bytes")
        }
        if !fields.contains("login"), !fields.contains("email") { fields.fail("login", "is required (or email)") }
        if !fields.contains("password") { fields.fail("password", "is required") }
        let fullName = fields.string("full_name", maximumBytes: UserLimits.fullNameBytes)
        let phone = fields.string("phone", maximumBytes: UserLimits.phoneBytes)
        let customData = fields.string("custom_data", maximumBytes: UserLimits.customDataBytes)
        reader.merge(fields)
        try reader.check()
        guard let password else { throw ParameterErrors(parameter: "user[password]", message: "is required") }

        let now = clock()
        let hash = try await passwords.hash(password)
        do {
            let user = try await store.createUser(
                ChatUser(
                    id: 0, applicationId: session.applicationId, login: login, email: email, fullName: fullName,
                    phone: phone, customData: customData, createdAt: now, updatedAt: now),
                passwordHash: hash)
            return Response.json(ChatJSON.user(user), status: .created)
        } catch let error as StoreError where error.takenField != nil {
            throw ParameterErrors(parameter: "user[\(error.takenField!)]", message: "has already been taken")
        }
    }
}
