import ConfabCore
import Foundation
import SQLKit

/// The reads and writes of one transaction within one application, handed out by
/// `ChatStore.read` and `ChatStore.write`. Whatever a write transaction's closure changes is
/// committed together when it returns, or not at all when it throws, so a message and the
/// dialog fields that follow from it never disagree.
///
/// Every statement is limited to the transaction's application: an id of another application's
/// dialog or message finds nothing. Every write also brings the counted trees behind the admin
/// lists' `total_entries` up to date, in the same transaction.
public struct ChatTransaction: Sendable {
    let session: StoreSession
    let dialect: StoreDialect
    let counter: ListCounter
    public let applicationId: Int
    /// The change feed's sequence number of this write transaction, which every row it writes
    /// carries (`change_seq`) and every tombstone it leaves; 0 in a read transaction.
    let changeSequence: Int64

    private var database: any SQLDatabase { session.sql }

    private var inApplication: any SQLExpression {
        SQLBinaryExpression(
            left: SQLColumn("application_id"), op: SQLBinaryOperator.equal, right: SQLBind(applicationId))
    }

    private func isId(_ id: ObjectId, column: String = "id") -> any SQLExpression {
        SQLBinaryExpression(left: SQLColumn(column), op: SQLBinaryOperator.equal, right: SQLBind(Data(id.bytes)))
    }

    private func contains(_ column: String, _ userId: Int) -> any SQLExpression {
        dialect.jsonArrayContains(column, userId)
    }

    private var lists: ListQuerySQL { ListQuerySQL(dialect: dialect) }

    private func not(_ expression: any SQLExpression) -> any SQLExpression {
        SQLQueryString("NOT (\(expression))")
    }

    // MARK: Users

    /// Those of `ids` that are users of the application.
    public func existingUserIds(_ ids: [Int]) async throws -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.select().column("id").from("users")
            .where(inApplication)
            .where(SQLColumn("id"), .in, SQLGroupExpression(ids.map { SQLBind($0) }))
            .all()
        return Set(try rows.map { try $0.decode(column: "id", as: Int.self) })
    }

    /// Those of `ids` that are users of the application, in id order.
    public func users(_ ids: [Int]) async throws -> [ChatUser] {
        guard !ids.isEmpty else { return [] }
        return try await database.select().columns(UserRow.columns).from("users")
            .where(inApplication)
            .where(SQLColumn("id"), .in, SQLGroupExpression(ids.map { SQLBind($0) }))
            .orderBy("id")
            .rows(UserRow.decode)
    }

    // MARK: Dialogs

    public func dialog(_ id: ObjectId) async throws -> Dialog? {
        try await database.select().columns(DialogRow.columns).from("dialogs")
            .where(inApplication).where(isId(id))
            .firstRow(DialogRow.decode)
    }

    /// The private dialog of these two users, the oldest if several were loaded.
    public func privateDialog(between first: Int, and second: Int) async throws -> Dialog? {
        try await database.select().columns(DialogRow.columns).from("dialogs")
            .where(inApplication)
            .where(SQLColumn("private_pair"), .equal, SQLBind(DialogRow.privatePair(first, second)))
            .orderBy("id").limit(1)
            .firstRow(DialogRow.decode)
    }

    public func insert(_ dialog: Dialog) async throws {
        try StorableText.check(dialogs: [dialog], messages: [])
        try await session.insertRows(
            "dialogs", ["application_id"] + DialogRow.columns + ["change_seq"],
            [DialogRow.values(dialog, applicationId: applicationId) + [.integer(changeSequence)]])
        try await count(entering: [StoredKeys(dialog)])
    }

    /// Writes every field of `dialog` over the stored one with its id.
    public func update(_ dialog: Dialog) async throws {
        try StorableText.check(dialogs: [dialog], messages: [])
        let before = try await storedKeys(of: dialog.id, in: "dialogs")
        try await update(
            table: "dialogs", columns: DialogRow.columns,
            values: DialogRow.values(dialog, applicationId: applicationId),
            id: dialog.id)
        guard let before, before != StoredKeys(dialog) else { return }
        try await count(leaving: [before], entering: [StoredKeys(dialog)])
    }

    /// Deletes the dialog and all its messages.
    public func deleteDialog(_ id: ObjectId) async throws {
        let before = try await storedKeys(of: id, in: "dialogs")
        try await deleteMessages(inDialog: id)
        if before != nil { try await leaveTombstone(kind: 0, id: id, dialogId: nil) }
        try await database.delete(from: "dialogs").where(inApplication).where(isId(id)).run()
        try await count(leaving: before.map { [$0] } ?? [])
    }

    /// Deletes every message of the dialog, which stays.
    public func deleteMessages(inDialog id: ObjectId) async throws {
        let messages = try await database.select().columns(StoredKeys.columns(in: "messages"))
            .from("messages").where(inApplication).where(isId(id, column: "chat_dialog_id"))
            .all().map(StoredKeys.init(row:))
        try await database.run(
            """
            INSERT INTO change_tombstones (application_id, seq, kind, id, chat_dialog_id, deleted_at)
            SELECT application_id, \(bind: changeSequence), 1, id, chat_dialog_id, \(bind: Self.now())
            FROM messages WHERE application_id = \(bind: applicationId) AND chat_dialog_id = \(bind: Data(id.bytes))
            ON CONFLICT DO NOTHING
            """ as SQLQueryString)
        try await database.delete(from: "messages").where(inApplication).where(isId(id, column: "chat_dialog_id")).run()
        // The dialog's own message trees go whole; the message list's lose each message.
        try await counter.removeTrees(ofDialog: id, applicationId: applicationId, on: database)
        try await count(leaving: messages, dialogTrees: false)
    }

    /// One page of the dialogs `userId` sees (occupant or subscriber, not deleted for them), with
    /// the count of all that match; with `query.countOnly`, the count alone and no items.
    public func dialogs(of userId: Int, query: ListQuery) async throws -> ListPage<Dialog> {
        let conditions =
            [
                inApplication,
                SQLGroupExpression(
                    SQLBinaryExpression(
                        left: contains("occupants_ids", userId), op: SQLBinaryOperator.or,
                        right: contains("subscribers_ids", userId))),
                not(contains("deleted_ids", userId)),
            ] + lists.conditions(query)
        return try await database.listPage(
            in: "dialogs", columns: DialogRow.columns, where: conditions, ordering: lists.ordering(query.sort),
            query: query, decode: DialogRow.decode)
    }

    // MARK: Messages

    public func message(_ id: ObjectId) async throws -> Message? {
        try await database.select().columns(MessageRow.columns).from("messages")
            .where(inApplication).where(isId(id))
            .firstRow(MessageRow.decode)
    }

    public func insert(_ message: Message) async throws {
        try StorableText.check(dialogs: [], messages: [message])
        try await session.insertRows(
            "messages", ["application_id"] + MessageRow.columns + ["change_seq"],
            [MessageRow.values(message, applicationId: applicationId) + [.integer(changeSequence)]])
        try await count(entering: [StoredKeys(message)])
    }

    /// Writes every field of `message` over the stored one with its id.
    public func update(_ message: Message) async throws {
        try StorableText.check(dialogs: [], messages: [message])
        let before = try await storedKeys(of: message.id, in: "messages")
        try await update(
            table: "messages", columns: MessageRow.columns,
            values: MessageRow.values(message, applicationId: applicationId), id: message.id)
        guard let before, before != StoredKeys(message) else { return }
        try await count(leaving: [before], entering: [StoredKeys(message)])
    }

    public func deleteMessage(_ id: ObjectId) async throws {
        let before = try await storedKeys(of: id, in: "messages")
        if let dialogId = before?.dialogId { try await leaveTombstone(kind: 1, id: id, dialogId: dialogId) }
        try await database.delete(from: "messages").where(inApplication).where(isId(id)).run()
        try await count(leaving: before.map { [$0] } ?? [])
    }

    /// The dialog's newest message by `date_sent`, then `_id`: the one `last_message*` shows.
    public func newestMessage(in dialogId: ObjectId) async throws -> Message? {
        try await database.select().columns(MessageRow.columns).from("messages")
            .where(inApplication).where(isId(dialogId, column: "chat_dialog_id"))
            .orderBy("date_sent", .descending).orderBy("id", .descending).limit(1)
            .firstRow(MessageRow.decode)
    }

    /// The dialog's messages from others that `userId` has not yet read (or, with
    /// `receipt: "delivered_ids"`, not yet received).
    public func messagesLacking(receipt: MessageReceipt, of userId: Int, in dialogId: ObjectId) async throws
        -> [Message]
    {
        try await database.select().columns(MessageRow.columns).from("messages")
            .where(inApplication).where(isId(dialogId, column: "chat_dialog_id"))
            .where(SQLColumn("sender_id"), .notEqual, SQLBind(userId))
            .where(not(contains(receipt.rawValue, userId)))
            .orderBy("id")
            .rows(MessageRow.decode)
    }

    /// Every message of the dialog that `userId` has not deleted for themselves, theirs included.
    public func messages(in dialogId: ObjectId, notDeletedFor userId: Int) async throws -> [Message] {
        try await database.select().columns(MessageRow.columns).from("messages")
            .where(inApplication).where(isId(dialogId, column: "chat_dialog_id"))
            .where(not(contains("deleted_for_ids", userId)))
            .orderBy("id")
            .rows(MessageRow.decode)
    }

    /// One page of a dialog's messages as `userId` may see them (not deleted for them), with the
    /// count of all that match; default order `date_sent` ascending.
    public func messages(in dialogId: ObjectId, visibleTo userId: Int, query: ListQuery) async throws
        -> ListPage<Message>
    {
        let conditions =
            [inApplication, isId(dialogId, column: "chat_dialog_id"), not(contains("deleted_for_ids", userId))]
            + lists.conditions(query)
        return try await database.listPage(
            in: "messages", columns: MessageRow.columns, where: conditions, ordering: lists.ordering(query.sort),
            query: query, decode: MessageRow.decode)
    }

    /// For each of the dialogs, the messages from others that `userId` has neither read nor
    /// deleted for themselves; dialogs with none are left out. One grouped query per
    /// `dialogsPerUnreadQuery` dialogs, which bounds the bound values of one statement.
    public func unreadCounts(in dialogIds: [ObjectId], for userId: Int) async throws -> [ObjectId: Int] {
        var counts = [ObjectId: Int]()
        for start in stride(from: 0, to: dialogIds.count, by: Self.dialogsPerUnreadQuery) {
            let ids = dialogIds[start..<min(start + Self.dialogsPerUnreadQuery, dialogIds.count)]
            let rows = try await database.select()
                .column("chat_dialog_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "unread")
                .from("messages")
                .where(inApplication)
                .where(SQLColumn("chat_dialog_id"), .in, SQLGroupExpression(ids.map { SQLBind(Data($0.bytes)) }))
                .where(SQLColumn("sender_id"), .notEqual, SQLBind(userId))
                .where(not(contains("read_ids", userId))).where(not(contains("deleted_for_ids", userId)))
                .groupBy("chat_dialog_id")
                .all()
            for row in rows {
                let id = try objectId(row.decode(column: "chat_dialog_id", as: Data.self), column: "chat_dialog_id")
                counts[id] = try row.decode(column: "unread", as: Int.self)
            }
        }
        return counts
    }

    static let dialogsPerUnreadQuery = 1_000

    // MARK: Shared

    private func count(leaving: [StoredKeys] = [], entering: [StoredKeys] = [], dialogTrees: Bool = true)
        async throws
    {
        try await counter.record(
            leaving: leaving, entering: entering, dialogTrees: dialogTrees, applicationId: applicationId,
            on: database)
    }

    /// What the counts know of a stored row: its keys, and a message's dialog.
    private func storedKeys(of id: ObjectId, in table: String) async throws -> StoredKeys? {
        try await database.select().columns(StoredKeys.columns(in: table)).from(table).where(inApplication)
            .where(isId(id))
            .first().map(StoredKeys.init(row:))
    }

    /// A deleted row's entry in the change feed.
    private func leaveTombstone(kind: Int, id: ObjectId, dialogId: ObjectId?) async throws {
        try await database.run(
            """
            INSERT INTO change_tombstones (application_id, seq, kind, id, chat_dialog_id, deleted_at)
            VALUES (\(bind: applicationId), \(bind: changeSequence), \(bind: kind), \(bind: Data(id.bytes)), \(dialogId.map { SQLBind(Data($0.bytes)) as any SQLExpression } ?? SQLLiteral.null), \(bind: Self.now()))
            ON CONFLICT DO NOTHING
            """ as SQLQueryString)
    }

    /// When a tombstone was left: the store's own clock, which retention compares with.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    private func update(table: String, columns: [String], values: [StoredValue], id: ObjectId) async throws {
        // values[0] is application_id, then one per column; the id column stays as it is.
        var update = database.update(table)
        for (column, value) in zip(columns, values.dropFirst()) where column != "id" {
            update = update.set(SQLColumn(column), to: dialect.bind(value))
        }
        update = update.set(SQLColumn("change_seq"), to: SQLBind(changeSequence))
        try await update.where(inApplication).where(isId(id)).run()
    }
}

/// The receipt lists of a message that a user can be missing from.
public enum MessageReceipt: String, Sendable {
    case read = "read_ids"
    case delivered = "delivered_ids"
}
