import ConfabCore
import Foundation

/// Which counted tree: a list, the field it is counted by, and for messages either the whole
/// list or one dialog's messages. Each row of a list is counted once in every tree it belongs to.
struct CountScope: Hashable, Sendable {
    var collection: ChatCollection
    var field: ListField
    /// `nil`: every row of the list.
    var dialogId: ObjectId?

    static let fields: [ListField] = [.id, .createdAt, .updatedAt]

    var table: String { collection.table }
    var column: String { ListQuerySQL.column(field) }

    // The columns of `list_counts` that name the tree.
    var listCode: Int { collection == .dialogs ? 0 : 1 }
    var fieldCode: Int { Self.fields.firstIndex(of: field) ?? 0 }
    /// One zero byte for the whole list, else the dialog's 12 id bytes: never equal, never empty
    /// (an empty BLOB can bind as NULL).
    var dialogScope: Data { dialogId.map { Data($0.bytes) } ?? Data([0]) }

    init(collection: ChatCollection, field: ListField, dialogId: ObjectId? = nil) {
        self.collection = collection
        self.field = field
        self.dialogId = dialogId
    }

    init?(listCode: Int, fieldCode: Int, dialogScope: Data) {
        guard (0...1).contains(listCode), (0...2).contains(fieldCode) else { return nil }
        self.collection = listCode == 0 ? .dialogs : .messages
        self.field = Self.fields[fieldCode]
        if dialogScope.count == 12, let id = ObjectId(bytes: dialogScope) {
            self.dialogId = id
        } else if dialogScope == Data([0]) {
            self.dialogId = nil
        } else {
            return nil
        }
    }

    /// A row's key in this tree: unix seconds, or the seconds inside its `_id`.
    func key(id: ObjectId, createdAt: Int64, updatedAt: Int64) -> Int64 {
        switch field {
        case .createdAt: createdAt
        case .updatedAt: updatedAt
        default: Int64(id.timestamp)
        }
    }
}

/// One row entering (`delta` 1) or leaving (-1) a tree at `key`. `StoredKeys.changes(delta:)`
/// gives those of one row in every tree it is counted in.
struct CountChange: Sendable {
    var scope: CountScope
    var key: Int64
    var delta: Int
}
