import ConfabCore
import Foundation
import SQLKit

/// The columns of a dialog or message row that its counts depend on: the counted trees behind
/// `total_entries`, and the day counts behind the statistics.
struct StoredKeys: Sendable, Equatable {
    var id: ObjectId
    /// A message's dialog; `nil` for a dialog.
    var dialogId: ObjectId?
    var createdAt: Int64
    var updatedAt: Int64
    /// Its day counter: a dialog's `created_at` day and type, a message's `date_sent` day.
    var day: DayCounter.Key

    init(_ dialog: Dialog) {
        self.init(
            id: dialog.id, dialogId: nil, createdAt: dialog.createdAt, updatedAt: dialog.updatedAt,
            day: DayCounter.Key(list: 0, day: DayCount.day(of: dialog.createdAt), type: dialog.type.rawValue))
    }

    init(_ message: Message) {
        self.init(
            id: message.id, dialogId: message.chatDialogId, createdAt: message.createdAt, updatedAt: message.updatedAt,
            day: DayCounter.Key(list: 1, day: DayCount.day(of: message.dateSent), type: 0))
    }

    init(id: ObjectId, dialogId: ObjectId?, createdAt: Int64, updatedAt: Int64, day: DayCounter.Key) {
        self.id = id
        self.dialogId = dialogId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.day = day
    }

    /// The columns `init(row:)` reads from `table`.
    static func columns(in table: String) -> [String] {
        table == "messages"
            ? ["id", "created_at", "updated_at", "chat_dialog_id", "date_sent"]
            : ["id", "created_at", "updated_at", "type"]
    }

    /// From a row with `columns(in:)` of its table.
    init(row: any SQLRow) throws {
        let id = try objectId(try row.decode(column: "id", as: Data.self), column: "id")
        let createdAt = try row.decode(column: "created_at", as: Int64.self)
        let updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        if row.contains(column: "chat_dialog_id") {
            let dialogId = try objectId(
                try row.decode(column: "chat_dialog_id", as: Data.self), column: "chat_dialog_id")
            let dateSent = try row.decode(column: "date_sent", as: Int64.self)
            self.init(
                id: id, dialogId: dialogId, createdAt: createdAt, updatedAt: updatedAt,
                day: DayCounter.Key(list: 1, day: DayCount.day(of: dateSent), type: 0))
        } else {
            let type = try row.decode(column: "type", as: Int.self)
            self.init(
                id: id, dialogId: nil, createdAt: createdAt, updatedAt: updatedAt,
                day: DayCounter.Key(list: 0, day: DayCount.day(of: createdAt), type: type))
        }
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

extension ListCounter {
    /// Brings every count up to date with rows that left and rows that entered, in the
    /// transaction that moved them: the counted trees (without a dialog's own trees when
    /// `dialogTrees` is false: they go whole) and the day counters.
    func record(
        leaving: [StoredKeys] = [], entering: [StoredKeys] = [], dialogTrees: Bool = true, applicationId: Int,
        on database: any SQLDatabase
    ) async throws {
        var changes = leaving.flatMap { $0.changes(delta: -1) } + entering.flatMap { $0.changes(delta: 1) }
        if !dialogTrees { changes.removeAll { $0.scope.dialogId != nil } }
        try await apply(changes, applicationId: applicationId, on: database)
        try await DayCounter.apply(leaving: leaving, entering: entering, applicationId: applicationId, on: database)
    }
}
