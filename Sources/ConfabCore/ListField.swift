/// The fields an admin list filters and sorts by.
public enum ListField: String, Sendable, CaseIterable {
    case id = "_id"
    case createdAt = "created_at"
    case updatedAt = "updated_at"
}
