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
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds.
    public var updatedAt: Int64

    public init(
        id: Int, applicationId: Int, login: String?, email: String?, fullName: String? = nil,
        phone: String? = nil, customData: String? = nil, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.applicationId = applicationId
        self.login = login
        self.email = email
        self.fullName = fullName
        self.phone = phone
        self.customData = customData
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
