import ConfabCore

/// A message of `GET /admin/chat/messages/list`, every member kept as sent, custom fields
/// included.
public struct AdminMessage: AdminListItem {
    public static let collection = ChatCollection.messages
    public let json: JSONObject
    public let id: ObjectId
    public let chatDialogId: ObjectId
    public let createdAtSeconds: Int64
    public let updatedAtSeconds: Int64

    public init(json: JSONObject) throws(AdminItemError) {
        let keys = try ItemKeys(json)
        guard let dialogText = json["chat_dialog_id"]?.stringValue, let dialogId = ObjectId(hex: dialogText) else {
            throw AdminItemError(field: "chat_dialog_id", reason: "is missing or not an ObjectId")
        }
        self.json = json
        id = keys.id
        chatDialogId = dialogId
        createdAtSeconds = keys.createdAt
        updatedAtSeconds = keys.updatedAt
    }

    /// The message as Confab's model, every field the admin list shows.
    public func message() throws(AdminItemError) -> Message {
        try AdminListJSON.message(from: json)
    }
}
