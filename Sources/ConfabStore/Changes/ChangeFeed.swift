import ConfabCore
import Foundation
import SQLKit

/// The change feed's SQL (docs/change-feed.md): sequence numbers in commit order, pages of
/// changes in feed order, and dropping old tombstones.
///
/// Why the order is exact: every write transaction takes its sequence number from its
/// application's `change_counters` row, which it holds locked until it commits (SQLite writes
/// one transaction at a time; on PostgreSQL the row lock, behind the per-application advisory
/// lock, makes the next writer wait). So sequence numbers follow commit order, a rolled-back
/// transaction gives its number back, and a snapshot sees every transaction up to some number
/// and none after it: a feed read never skips a change that commits later with a lower number.
enum ChangeFeed {
    /// The next sequence number of the application: this transaction's.
    static func nextSequence(applicationId: Int, on database: any SQLDatabase) async throws -> Int64 {
        let rows = try await database.rows(
            of: """
                INSERT INTO change_counters (application_id, last_seq) VALUES (\(bind: applicationId), 1)
                ON CONFLICT (application_id) DO UPDATE SET last_seq = change_counters.last_seq + 1
                RETURNING last_seq
                """ as SQLQueryString
        ) { row in
            var columns = ColumnCursor(row, names: ["last_seq"])
            return try columns.integer()
        }
        guard let sequence = rows.first else { throw StoreError.corruptRow("change_counters gave no sequence") }
        return sequence
    }

    /// The application's last sequence number, and the position of the last tombstone dropped.
    static func counters(applicationId: Int, on database: any SQLDatabase) async throws
        -> (last: Int64, purged: ChangeCursor?)
    {
        let rows = try await database.rows(
            of:
                "SELECT last_seq, purged_seq, purged_kind, purged_id FROM change_counters WHERE application_id = \(bind: applicationId)"
                as SQLQueryString
        ) { row in
            var columns = ColumnCursor(row, names: ["last_seq", "purged_seq", "purged_kind", "purged_id"])
            let last = try columns.integer()
            let (sequence, kind, id) = (
                try columns.optionalInteger(), try columns.optionalInt(), try columns.optionalObjectId()
            )
            guard let sequence, let kind, let id else { return (last, nil as ChangeCursor?) }
            return (last, ChangeCursor(sequence: sequence, kind: kind, id: id))
        }
        return rows.first ?? (0, nil)
    }

    /// Up to `limit` changes after `start`, in feed order: the live rows of both lists by the
    /// sequence number they carry, and the tombstones, merged.
    static func page(
        applicationId: Int, from start: ChangeStart, limit: Int, on database: any SQLDatabase
    ) async throws -> ChangePage {
        let cursor: ChangeCursor
        switch start {
        case .beginning: cursor = .beginning
        case .now: cursor = .end(of: try await counters(applicationId: applicationId, on: database).last)
        case .after(let after):
            // Tombstones up to `purged` were dropped: a reader before them may have missed one.
            if after != .beginning, let purged = try await counters(applicationId: applicationId, on: database).purged,
                after < purged
            {
                throw StoreError.expiredCursor(
                    "the cursor is older than the deletions the change feed keeps; export again, then follow from cursor=now"
                )
            }
            cursor = after
        }
        let wanted = limit + 1
        var changes: [ChatChange] = []
        let dialogs = try await database.rows(
            of: liveRows(
                "dialogs", kind: 0, columns: DialogRow.columns, after: cursor, applicationId: applicationId,
                limit: wanted)
        ) { row in
            ChatChange.dialog(try DialogRow.decode(row), sequence: try Self.sequence(row, at: DialogRow.columns.count))
        }
        changes += dialogs
        let messages = try await database.rows(
            of: liveRows(
                "messages", kind: 1, columns: MessageRow.columns, after: cursor, applicationId: applicationId,
                limit: wanted)
        ) { row in
            ChatChange.message(
                try MessageRow.decode(row), sequence: try Self.sequence(row, at: MessageRow.columns.count))
        }
        changes += messages
        let tombstones = try await database.rows(
            of: """
                SELECT seq, kind, id, chat_dialog_id, deleted_at FROM change_tombstones
                WHERE application_id = \(bind: applicationId) AND (seq, kind, id) > (\(bind: cursor.sequence), \(bind: cursor.kind), \(bind: Data(cursor.id.bytes)))
                ORDER BY seq, kind, id LIMIT \(bind: wanted)
                """ as SQLQueryString
        ) { row in
            var columns = ColumnCursor(row, names: ["seq", "kind", "id", "chat_dialog_id", "deleted_at"])
            let (sequence, kind, id) = (try columns.integer(), try columns.int(), try columns.objectId())
            let dialogId = try columns.optionalObjectId()
            let at = try columns.integer()
            if kind == 0 { return ChatChange.deletedDialog(id, sequence: sequence, at: at) }
            guard let dialogId else { throw StoreError.corruptRow("a message tombstone without its dialog") }
            return ChatChange.deletedMessage(id, dialogId: dialogId, sequence: sequence, at: at)
        }
        changes += tombstones
        // Feed order; at one position (an id deleted and written again by one transaction) the
        // tombstone first, so that the row stands.
        changes.sort { a, b in
            a.position < b.position || (a.position == b.position && a.isDeletion && !b.isDeletion)
        }
        let page = Array(changes.prefix(limit))
        return ChangePage(
            changes: page, nextCursor: page.last?.position ?? cursor, hasMore: changes.count > limit)
    }

    private static func sequence(_ row: any RowColumns, at index: Int) throws -> Int64 {
        guard let sequence = try row.integer(at: index) else { throw StoreError.corruptRow("change_seq is NULL") }
        return sequence
    }

    /// The rows of one list after `cursor` in feed order; `kind` is the list's place among the
    /// kinds at one sequence number.
    private static func liveRows(
        _ table: String, kind: Int, columns: [String], after cursor: ChangeCursor, applicationId: Int, limit: Int
    ) -> SQLQueryString {
        let after: SQLQueryString
        if kind > cursor.kind {
            after = "change_seq >= \(bind: cursor.sequence)"
        } else if kind == cursor.kind {
            after = "(change_seq, id) > (\(bind: cursor.sequence), \(bind: Data(cursor.id.bytes)))"
        } else {
            after = "change_seq > \(bind: cursor.sequence)"
        }
        let list = (columns + ["change_seq"]).map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            SELECT \(unsafeRaw: list) FROM \(unsafeRaw: table)
            WHERE application_id = \(bind: applicationId) AND \(after)
            ORDER BY change_seq, id LIMIT \(bind: limit)
            """
    }

    // MARK: Retention

    /// Drops the tombstones of every transaction that deleted rows before `before` (unix
    /// seconds), whole transactions at a time, and remembers the last one dropped per
    /// application: cursors before it expire. Returns how many tombstones went.
    static func purge(deletedBefore before: Int64, on database: any SQLDatabase) async throws -> Int {
        let due = try await database.rows(
            of: """
                SELECT application_id, MAX(seq) AS through FROM change_tombstones WHERE deleted_at < \(bind: before)
                GROUP BY application_id
                """ as SQLQueryString
        ) { row in
            var columns = ColumnCursor(row, names: ["application_id", "through"])
            return (try columns.int(), try columns.integer())
        }
        var dropped = 0
        for (applicationId, through) in due {
            let inApplication: SQLQueryString =
                "application_id = \(bind: applicationId) AND seq <= \(bind: through)"
            let last = try await database.rows(
                of: """
                    SELECT seq, kind, id, COUNT(*) OVER () AS total FROM change_tombstones WHERE \(inApplication)
                    ORDER BY seq DESC, kind DESC, id DESC LIMIT 1
                    """ as SQLQueryString
            ) { row in
                var columns = ColumnCursor(row, names: ["seq", "kind", "id", "total"])
                return (
                    ChangeCursor(sequence: try columns.integer(), kind: try columns.int(), id: try columns.objectId()),
                    try columns.int()
                )
            }
            guard let (position, count) = last.first else { continue }
            dropped += count
            try await database.run("DELETE FROM change_tombstones WHERE \(inApplication)" as SQLQueryString)
            try await database.run(
                """
                UPDATE change_counters SET purged_seq = \(bind: position.sequence), purged_kind = \(bind: position.kind),
                    purged_id = \(bind: Data(position.id.bytes))
                WHERE application_id = \(bind: applicationId)
                """ as SQLQueryString)
        }
        return dropped
    }
}
