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

    /// Reads `columns` in order.
    static func decode(_ row: any RowColumns) throws -> ChatUser {
        var column = ColumnCursor(row, names: columns)
        let id = try column.int()
        let applicationId = try column.int()
        let login = try column.optionalText()
        let email = try column.optionalText()
        let fullName = try column.optionalText()
        let phone = try column.optionalText()
        let customData = try column.optionalText()
        var profile = UserProfile()
        profile.website = try column.optionalText()
        profile.externalUserId = try column.optionalInteger()
        profile.facebookId = try column.optionalText()
        profile.twitterId = try column.optionalText()
        profile.avatar = try column.optionalText()
        profile.blobId = try column.optionalInteger()
        profile.tags = try column.optionalText()?.split(separator: ",").map(String.init) ?? []
        profile.timezone = try column.optionalInt()
        return ChatUser(
            id: id, applicationId: applicationId, login: login, email: email, fullName: fullName, phone: phone,
            customData: customData, profile: profile, createdAt: try column.integer(),
            updatedAt: try column.integer())
    }

    /// A user and, in the column after `columns`, the password hash.
    static func decodeWithPasswordHash(_ row: any RowColumns) throws -> (user: ChatUser, passwordHash: String) {
        guard let hash = try row.text(at: columns.count) else { throw StoreError.corruptRow("password_hash is NULL") }
        return (try decode(row), hash)
    }
}
