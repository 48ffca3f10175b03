import ConfabCore

/// A dialog of `GET /admin/chat/list`, every member kept as sent.
public struct AdminDialog: AdminListItem {
    public static let collection = ChatCollection.dialogs
    public let json: JSONObject
    public let id: ObjectId
    public let createdAtSeconds: Int64
    public let updatedAtSeconds: Int64

    public init(json: JSONObject) throws(AdminItemError) {
        let keys = try ItemKeys(json)
        self.json = json
        id = keys.id
        createdAtSeconds = keys.createdAt
        updatedAtSeconds = keys.updatedAt
    }

    /// The dialog as Confab's model, every field the admin list shows.
    public func dialog() throws(AdminItemError) -> Dialog {
        try AdminListJSON.dialog(from: json)
    }
}
