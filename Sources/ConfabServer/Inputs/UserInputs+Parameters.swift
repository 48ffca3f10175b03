import ConfabCore
import ConfabRequests

/// The fields of `user[…]` in `POST /users` and `PUT /users/{id}`, checked against `UserLimits`.
enum UserFields {
    /// The password and old password, which are never part of a user.
    struct Secrets {
        var password: String?
        var oldPassword: String?
    }

    /// Reads every field that is present into `user`; empty text clears a field.
    static func read(from fields: inout ParameterReader, into user: inout ChatUser) -> Secrets {
        readIdentity(from: &fields, into: &user)
        readProfile(from: &fields, into: &user.profile)
        var secrets = Secrets()
        secrets.password = password("password", from: &fields)
        secrets.oldPassword = fields.string(
            "old_password", maximumBytes: UserLimits.passwordBytes.upperBound, allowEmpty: false)
        return secrets
    }

    private static func readIdentity(from fields: inout ParameterReader, into user: inout ChatUser) {
        if let login = fields.string("login", maximumBytes: UserLimits.loginBytes.upperBound, allowEmpty: false) {
            if login.utf8.count < UserLimits.loginBytes.lowerBound {
                fields.fail(
                    "login", "must be \(UserLimits.loginBytes.lowerBound) to \(UserLimits.loginBytes.upperBound) bytes")
            }
            user.login = login
        }
        if let email = fields.string("email", maximumBytes: UserLimits.emailBytes, allowEmpty: false) {
            if !email.contains("@") { fields.fail("email", "must be an email address") }
            user.email = email
        }
        text("full_name", UserLimits.fullNameBytes, from: &fields, into: &user.fullName)
        text("phone", UserLimits.phoneBytes, from: &fields, into: &user.phone)
        text("custom_data", UserLimits.customDataBytes, from: &fields, into: &user.customData)
    }

    private static func readProfile(from fields: inout ParameterReader, into profile: inout UserProfile) {
        text("website", UserLimits.websiteBytes, from: &fields, into: &profile.website)
        text("facebook_id", UserLimits.socialIdBytes, from: &fields, into: &profile.facebookId)
        text("twitter_id", UserLimits.socialIdBytes, from: &fields, into: &profile.twitterId)
        text("avatar", UserLimits.avatarBytes, from: &fields, into: &profile.avatar)
        // `external_id` is the newer name of the same field.
        for key in ["external_user_id", "external_id"] where fields.contains(key) {
            profile.externalUserId = fields.integer(key, in: 1...Int64.max)
        }
        if fields.contains("blob_id") { profile.blobId = fields.integer("blob_id", in: 1...Int64.max) }
        if fields.contains("timezone") {
            profile.timezone = fields.integer("timezone", in: UserLimits.timezoneMinutes).map(Int.init)
        }
        if let tags = fields.words("tag_list", maximumCount: UserLimits.tagsPerUser, maximumBytes: UserLimits.tagBytes)
        {
            profile.tags = tags
        }
    }

    private static func text(
        _ key: String, _ maximumBytes: Int, from fields: inout ParameterReader, into field: inout String?
    ) {
        if fields.object[key] == .null { return field = nil }
        guard let value = fields.string(key, maximumBytes: maximumBytes) else { return }
        field = value.isEmpty ? nil : value
    }

    private static func password(_ key: String, from fields: inout ParameterReader) -> String? {
        let password = fields.string(key, maximumBytes: UserLimits.passwordBytes.upperBound, allowEmpty: false)
        if let password, password.utf8.count < UserLimits.passwordBytes.lowerBound {
            fields.fail(
                key, "must be \(UserLimits.passwordBytes.lowerBound) to \(UserLimits.passwordBytes.upperBound) bytes")
        }
        return password
    }
}
