/// A user of an application: someone who signs in and chats. The password is not part of it:
/// the store keeps only its bcrypt hash, beside the user.
public struct ChatUser: Sendable, Equatable {
    public var id: Int
    public var applicationId: Int
    public var login: String?
    public var email: String?
    public var fullName: String?
    public var phone: String?
    public var customData: String?
    public var profile = UserProfile()
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds.
    public var updatedAt: Int64

    public init(
        id: Int, applicationId: Int, login: String?, email: String?, fullName: String? = nil,
        phone: String? = nil, customData: String? = nil, profile: UserProfile = UserProfile(), createdAt: Int64,
        updatedAt: Int64
    ) {
        self.id = id
        self.applicationId = applicationId
        self.login = login
        self.email = email
        self.fullName = fullName
        self.phone = phone
        self.customData = customData
        self.profile = profile
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The rest of ConnectyCube's user fields: kept and returned as the app sets them, with no
/// meaning to Confab. `external_user_id` is unique in an application, as its lookup needs.
public struct UserProfile: Sendable, Equatable {
    public var website: String?
    public var externalUserId: Int64?
    public var facebookId: String?
    public var twitterId: String?
    public var avatar: String?
    public var blobId: Int64?
    /// `tag_list` as sent, `user_tags` as answered: `"vip,accountant"`.
    public var tags: [String] = []
    /// Minutes from UTC.
    public var timezone: Int?

    public init() {}
}
