import ConfabCore
import Foundation
import SQLKit
import Synchronization

/// Keeps the counted trees of `list_counts` in step with the `dialogs` and `messages` rows, in
/// the transaction that changes them, and answers counts from them (docs/exact-counts.md).
///
/// Callers write the rows first and then `apply` the changes, so that a bucket expanded on the
/// way is filled from the rows as the transaction leaves them.
struct ListCounter: Sendable {
    let tree: CountTree

    /// A bucket expands once it holds more rows than this: the most rows a count ever reads
    /// in an index, bar those of `_id` that share one second.
    static let defaultThreshold = 256

    init(threshold: Int = Self.defaultThreshold) {
        tree = CountTree(threshold: threshold)
    }

    // MARK: Counting

    /// The rows of `range`, all within `applicationId`.
    func count(_ range: CountRange, applicationId: Int, on database: any SQLDatabase) async throws -> Int {
        guard !range.isEmpty else { return 0 }
        let upper = try await countBefore(range.upper, scope: range.scope, applicationId: applicationId, on: database)
        guard let lower = range.lower else { return upper }
        return upper - (try await countBefore(lower, scope: range.scope, applicationId: applicationId, on: database))
    }

    private func countBefore(
        _ bound: CountBound, scope: CountScope, applicationId: Int, on database: any SQLDatabase
    ) async throws -> Int {
        let tree = inTree(scope, applicationId)
        guard let key = bound.key else {
            let totals = try await database.rows(
                of:
                    "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) AS total FROM list_counts WHERE \(tree) AND level = \(bind: CountTree.topLevel)"
                    as SQLQueryString, ColumnCursor.total)
            return totals.first ?? 0
        }
        let ranges = CountTree.path(to: key).map { level, first, last -> SQLQueryString in
            let from: SQLQueryString = first.map { " AND bucket >= \(bind: $0)" } ?? ""
            return
                "SELECT level, bucket, row_count, expanded FROM list_counts WHERE \(tree) AND level = \(bind: level)\(from) AND bucket <= \(bind: last)"
        }
        let stored = try await database.rows(of: ranges.joined(separator: " UNION ALL "), Self.bucket)
        let (counted, residue) = CountTree.countBefore(key: key, stored: stored)
        guard let residue else { return counted }
        return counted
            + (try await countRows(
                scope, applicationId: applicationId, from: CountTree.start(of: residue.bucket, level: residue.level),
                before: bound, on: database))
    }

    /// The rows of `scope` from key `start` up to `bound`, counted in the index.
    private func countRows(
        _ scope: CountScope, applicationId: Int, from start: Int64, before bound: CountBound,
        on database: any SQLDatabase
    ) async throws -> Int {
        var conditions = rowConditions(scope, applicationId: applicationId, from: start, to: nil)
        switch bound {
        case .time(let seconds):
            guard seconds > start else { return 0 }
            conditions.append(SQLBinaryExpression(SQLColumn(scope.column), .lessThan, SQLBind(seconds)))
        case .id(let id, let inclusive):
            conditions.append(
                SQLBinaryExpression(SQLColumn("id"), inclusive ? .lessThanOrEqual : .lessThan, SQLBind(Data(id.bytes))))
        case .end:
            break
        }
        return try await database.countRows(in: scope.table, where: conditions)
    }

    // MARK: Changing

    /// Adds `changes` to the trees: each bucket on each changed key's path, from the root down
    /// to the first bucket not expanded, which expands if it now holds too many rows.
    func apply(_ changes: [CountChange], applicationId: Int, on database: any SQLDatabase) async throws {
        guard !changes.isEmpty else { return }
        // The sums per bucket, level 0 from the changes and each level above from the one below.
        var deltas = [[BucketKey: Int]](repeating: [:], count: CountTree.levels)
        deltas[0].reserveCapacity(changes.count)
        for change in changes {
            deltas[0][BucketKey(scope: change.scope, bucket: change.key), default: 0] += change.delta
        }
        for level in 1..<CountTree.levels {
            deltas[level].reserveCapacity(deltas[level - 1].count)
            for (key, delta) in deltas[level - 1] {
                deltas[level][key.parent, default: 0] += delta
            }
        }
        var descend = Set<BucketKey>()
        for level in stride(from: CountTree.topLevel, through: 0, by: -1) {
            var due: [(key: BucketKey, value: Int)] = []
            for entry in deltas[level] where level == CountTree.topLevel || descend.contains(entry.key.parent) {
                due.append(entry)
            }
            descend = []
            for start in stride(from: 0, to: due.count, by: Self.rowsPerUpsert) {
                let chunk = due[start..<min(start + Self.rowsPerUpsert, due.count)]
                for (scope, bucket) in try await upsert(chunk, level: level, applicationId: applicationId, on: database)
                {
                    if bucket.expanded {
                        descend.insert(BucketKey(scope: scope, bucket: bucket.bucket))
                    } else if level > 0 {
                        try await expand(bucket, scope: scope, applicationId: applicationId, on: database)
                    }
                }
            }
        }
    }

    /// Removes a dialog's own message trees, whose rows are gone.
    func removeTrees(ofDialog dialogId: ObjectId, applicationId: Int, on database: any SQLDatabase) async throws {
        try await database.raw(
            "DELETE FROM list_counts WHERE application_id = \(bind: applicationId) AND list = 1 AND dialog_scope = \(bind: Data(dialogId.bytes))"
        ).run()
    }

    /// Stores the children of `bucket` (and theirs, as needed) from its rows, and marks it expanded.
    private func expand(
        _ bucket: CountBucket, scope: CountScope, applicationId: Int, on database: any SQLDatabase
    ) async throws {
        let start = CountTree.start(of: bucket.bucket, level: bucket.level)
        let end = CountTree.end(of: bucket.bucket, level: bucket.level)
        let keys = try await sortedKeys(scope, applicationId: applicationId, from: start, to: end, on: database)
        let children = tree.buckets(level: bucket.level - 1, sortedKeys: keys[...])
        try await store(children, scope: scope, applicationId: applicationId, on: database)
        try await database.run(
            """
            UPDATE list_counts SET expanded = \(bind: true), row_count = \(bind: keys.count)
            WHERE \(inTree(scope, applicationId)) AND level = \(bind: bucket.level) AND bucket = \(bind: bucket.bucket)
            """ as SQLQueryString)
    }

    // MARK: SQL

    static let rowsPerUpsert = 1_000

    private struct BucketKey: Hashable {
        var scope: CountScope
        var bucket: Int64

        /// The bucket one level up that holds this one.
        var parent: BucketKey { BucketKey(scope: scope, bucket: bucket >> Int64(CountTree.bitsPerLevel)) }
    }

    private func inTree(_ scope: CountScope, _ applicationId: Int) -> SQLQueryString {
        "application_id = \(bind: applicationId) AND list = \(bind: scope.listCode) AND field = \(bind: scope.fieldCode) AND dialog_scope = \(bind: scope.dialogScope)"
    }

    /// Adds each delta to its bucket at `level`, creating buckets not yet stored, and returns
    /// those that now need more work: the expanded, and the unexpanded over the threshold.
    /// (The rest, nearly all of a bulk load's, are not decoded: decoding was its slowest part.)
    private func upsert(
        _ deltas: ArraySlice<(key: BucketKey, value: Int)>, level: Int, applicationId: Int,
        on database: any SQLDatabase
    ) async throws -> [(CountScope, CountBucket)] {
        guard !deltas.isEmpty else { return [] }
        let values = deltas.map { key, delta -> SQLQueryString in
            let scope = key.scope
            return
                "(\(bind: applicationId), \(bind: scope.listCode), \(bind: scope.fieldCode), \(bind: scope.dialogScope), \(bind: level), \(bind: key.bucket), \(bind: delta), \(bind: false))"
        }
        let query: SQLQueryString = """
            INSERT INTO list_counts (application_id, list, field, dialog_scope, level, bucket, row_count, expanded)
            VALUES \(values.joined(separator: ", "))
            ON CONFLICT (application_id, list, field, dialog_scope, level, bucket)
            DO UPDATE SET row_count = list_counts.row_count + excluded.row_count
            RETURNING CASE WHEN expanded THEN 1 WHEN row_count > \(bind: tree.threshold) THEN 1 ELSE 0 END AS pending,
                list, field, dialog_scope, level, bucket, row_count, expanded
            """
        // Positional reads: the pending flag decides whether the rest of a row is read at all.
        let pending = try await database.rows(of: query) { row -> (CountScope, CountBucket)? in
            var columns = ColumnCursor(row, names: Self.upsertColumns)
            guard try columns.int() == 1 else { return nil }
            let listCode = try columns.int()
            let fieldCode = try columns.int()
            guard let scope = CountScope(listCode: listCode, fieldCode: fieldCode, dialogScope: try columns.blob())
            else { throw StoreError.corruptRow("a list_counts row naming no tree") }
            let bucket = CountBucket(
                level: try columns.int(), bucket: try columns.integer(), rows: try columns.int(),
                expanded: try columns.flag())
            return (scope, bucket)
        }
        return pending.compactMap { $0 }
    }

    private static let upsertColumns = [
        "pending", "list", "field", "dialog_scope", "level", "bucket", "row_count", "expanded",
    ]

    /// Writes new buckets (over any stored with the same key).
    func store(
        _ buckets: [CountBucket], scope: CountScope, applicationId: Int, on database: any SQLDatabase
    ) async throws {
        for start in stride(from: 0, to: buckets.count, by: Self.rowsPerUpsert) {
            let values = buckets[start..<min(start + Self.rowsPerUpsert, buckets.count)].map {
                bucket -> SQLQueryString in
                "(\(bind: applicationId), \(bind: scope.listCode), \(bind: scope.fieldCode), \(bind: scope.dialogScope), \(bind: bucket.level), \(bind: bucket.bucket), \(bind: bucket.rows), \(bind: bucket.expanded))"
            }
            try await database.run(
                """
                INSERT INTO list_counts (application_id, list, field, dialog_scope, level, bucket, row_count, expanded)
                VALUES \(values.joined(separator: ", "))
                ON CONFLICT (application_id, list, field, dialog_scope, level, bucket)
                DO UPDATE SET row_count = excluded.row_count, expanded = excluded.expanded
                """ as SQLQueryString)
        }
    }

    /// A stored bucket, read by position from `level, bucket, row_count, expanded`.
    @Sendable private static func bucket(_ row: any RowColumns) throws -> CountBucket {
        var columns = ColumnCursor(row, names: ["level", "bucket", "row_count", "expanded"])
        return CountBucket(
            level: try columns.int(), bucket: try columns.integer(), rows: try columns.int(),
            expanded: try columns.flag())
    }

    /// The conditions that select the rows of `scope` with keys from `start` (inclusive) to
    /// `end` (exclusive); `nil` leaves that side open.
    private func rowConditions(_ scope: CountScope, applicationId: Int, from start: Int64?, to end: Int64?)
        -> [any SQLExpression]
    {
        var conditions: [any SQLExpression] = [
            SQLBinaryExpression(SQLColumn("application_id"), .equal, SQLBind(applicationId))
        ]
        if let dialogId = scope.dialogId {
            conditions.append(SQLBinaryExpression(SQLColumn("chat_dialog_id"), .equal, SQLBind(Data(dialogId.bytes))))
        }
        let column = SQLColumn(scope.column)
        if scope.field == .id {
            // The key is the id's timestamp: the ids of a second start with its four bytes.
            if let start, start > 0 {
                conditions.append(SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(Self.firstId(at: start))))
            }
            if let end, end <= Int64(UInt32.max) {
                conditions.append(SQLBinaryExpression(column, .lessThan, SQLBind(Self.firstId(at: end))))
            }
        } else {
            if let start { conditions.append(SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(start))) }
            if let end { conditions.append(SQLBinaryExpression(column, .lessThan, SQLBind(end))) }
        }
        return conditions
    }

    /// The smallest id whose timestamp is `seconds` (0 ... 2^32 - 1).
    private static func firstId(at seconds: Int64) -> Data {
        Data(ObjectId(high: UInt64(seconds) << 32, low: 0).bytes)
    }

    /// The keys of the rows of `scope` from `start` to `end`, ascending.
    func sortedKeys(
        _ scope: CountScope, applicationId: Int, from start: Int64?, to end: Int64?, on database: any SQLDatabase
    ) async throws -> [Int64] {
        var query = database.select().column(scope.column).from(scope.table)
        for condition in rowConditions(scope, applicationId: applicationId, from: start, to: end) {
            query = query.where(condition)
        }
        let keys = Mutex<[Int64]>([])
        let failure = Mutex<(any Error)?>(nil)
        let isId = scope.field == .id
        let column = scope.column
        try await query.orderBy(scope.column).run { row in
            do {
                let key: Int64
                if isId {
                    key = Int64(try objectId(try row.decode(column: column, as: Data.self), column: column).timestamp)
                } else {
                    key = try row.decode(column: column, as: Int64.self)
                }
                keys.withLock { $0.append(key) }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return keys.withLock { $0 }
    }
}
