import ConfabCore
import SQLKit

/// How a `ChatUser` maps to a row of `users`.
enum UserRow {
    static let columns = ["id", "application_id"] + writableColumns

    /// Everything but the ids; `password_hash` is beside them, never read back with a user.
    static let writableColumns = [
        "login", "email", "full_name", "phone", "custom_data", "website", "external_user_id", "facebook_id",
        "twitter_id", "avatar", "blob_id", "user_tags", "timezone", "created_at", "updated_at",
    ]

    /// The values of `writableColumns`, in order.
    static func values(_ user: ChatUser) -> [any SQLExpression] {
        let profile = user.profile
        let tags = profile.tags.isEmpty ? nil : profile.tags.joined(separator: ",")
        let values: [any Encodable & Sendable] = [
            user.login, user.email, user.fullName, user.phone, user.customData, profile.website,
            profile.externalUserId, profile.facebookId, profile.twitterId, profile.avatar, profile.blobId, tags,
            profile.timezone, user.createdAt, user.updatedAt,
        ]
        return values.map { SQLBind($0) }
    }

    static func decode(_ row: any SQLRow) throws -> ChatUser {
        var profile = UserProfile()
        profile.website = try row.decode(column: "website", as: String?.self)
        profile.externalUserId = try row.decode(column: "external_user_id", as: Int64?.self)
        profile.facebookId = try row.decode(column: "facebook_id", as: String?.self)
        profile.twitterId = try row.decode(column: "twitter_id", as: String?.self)
        profile.avatar = try row.decode(column: "avatar", as: String?.self)
        profile.blobId = try row.decode(column: "blob_id", as: Int64?.self)
        profile.tags =
            try row.decode(column: "user_tags", as: String?.self)?.split(separator: ",").map(String.init) ?? []
        profile.timezone = try row.decode(column: "timezone", as: Int?.self)
        return ChatUser(
            id: try row.decode(column: "id", as: Int.self),
            applicationId: try row.decode(column: "application_id", as: Int.self),
            login: try row.decode(column: "login", as: String?.self),
            email: try row.decode(column: "email", as: String?.self),
            fullName: try row.decode(column: "full_name", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self),
            customData: try row.decode(column: "custom_data", as: String?.self),
            profile: profile,
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self)
        )
    }
}
