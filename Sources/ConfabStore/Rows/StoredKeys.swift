import ConfabCore
import Foundation
import SQLKit

/// The columns of a dialog or message row that its counted trees depend on.
struct StoredKeys: Sendable, Equatable {
    var id: ObjectId
    /// A message's dialog; `nil` for a dialog.
    var dialogId: ObjectId?
    var createdAt: Int64
    var updatedAt: Int64

    init(_ dialog: Dialog) {
        self.init(id: dialog.id, dialogId: nil, createdAt: dialog.createdAt, updatedAt: dialog.updatedAt)
    }

    init(_ message: Message) {
        self.init(
            id: message.id, dialogId: message.chatDialogId, createdAt: message.createdAt, updatedAt: message.updatedAt)
    }

    init(id: ObjectId, dialogId: ObjectId?, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.dialogId = dialogId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// From a row with `id`, `created_at`, `updated_at`, and for a message `chat_dialog_id`.
    init(row: any SQLRow) throws {
        let id = try objectId(try row.decode(column: "id", as: Data.self), column: "id")
        var dialogId: ObjectId?
        if row.contains(column: "chat_dialog_id") {
            dialogId = try objectId(try row.decode(column: "chat_dialog_id", as: Data.self), column: "chat_dialog_id")
        }
        self.init(
            id: id, dialogId: dialogId, createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }

    /// The row entering (`delta` 1) or leaving (-1) every tree it is counted in: a dialog the
    /// dialog list's three; a message the message list's three and its dialog's three.
    func changes(delta: Int) -> [CountChange] {
        let collection: ChatCollection = dialogId == nil ? .dialogs : .messages
        let dialogScopes: [ObjectId?] = dialogId == nil ? [nil] : [nil, dialogId]
        return CountScope.fields.flatMap { field in
            dialogScopes.map { dialog in
                let scope = CountScope(collection: collection, field: field, dialogId: dialog)
                return CountChange(
                    scope: scope, key: scope.key(id: id, createdAt: createdAt, updatedAt: updatedAt), delta: delta)
            }
        }
    }
}
