import ConfabCore
import ConfabTestSupport
import Foundation
import SQLKit
import Testing

@testable import ConfabStore

/// `total_entries` from the counted trees against `COUNT(*)` over the rows, after every
/// transaction of a few thousand random writes: inserts, updates that move `updated_at` (and
/// `created_at`), deletes of messages and of whole dialogs, and bulk loads.
@Suite("Exact counts from the counted trees")
struct ExactCountTests {
    /// Threshold 2 expands buckets down to single seconds, so every level and the `_id`
    /// residue inside one second are exercised; the default is what production runs.
    @Test(
        "equal COUNT(*) after thousands of random writes",
        arguments: StoreKind.available, [2, ListCounter.defaultThreshold])
    func countsStayExact(kind: StoreKind, threshold: Int) async throws {
        try await withTemporaryStore(kind) { anyStore in
            let store = try #require(anyStore as? SQLChatStore).counting(with: ListCounter(threshold: threshold))
            let application = try await store.createApplication(
                name: "Counts", credentials: .random(), createdAt: 1_700_000_000)
            var writes = RandomChatWrites(seed: UInt64(threshold) &* 7919)
            var checked = 0
            while writes.count < 2_500 {
                try await RandomChatWrites.run(writes.nextTransaction(), on: store, applicationId: application.id)
                for (collection, query) in writes.queries(count: 4) {
                    let counted = try await total(
                        of: query, in: collection, store: store, applicationId: application.id)
                    let scanned = try await bruteForceCount(
                        query, in: collection, store: store, applicationId: application.id)
                    #expect(counted == scanned, "\(collection) \(query) after \(writes.count) writes")
                    checked += 1
                }
            }
            // Every stored bucket holds exactly the rows in its key range.
            let mismatched = try await store.sessions.withSession { session in
                try await mismatchedBuckets(on: session.sql, applicationId: application.id)
            }
            #expect(mismatched.isEmpty, "buckets whose count is not their rows: \(mismatched.prefix(5))")
            // Built from the rows alone (as the migration to schema 3 does for older data), the
            // trees give the same counts.
            try await store.sessions.withSession { session in
                try await store.counter.rebuild(applicationId: application.id, on: session.sql)
            }
            for (collection, query) in writes.queries(count: 200) {
                let counted = try await total(of: query, in: collection, store: store, applicationId: application.id)
                let scanned = try await bruteForceCount(
                    query, in: collection, store: store, applicationId: application.id)
                #expect(counted == scanned, "after rebuild: \(collection) \(query)")
            }
            let afterRebuild = try await store.sessions.withSession { session in
                try await mismatchedBuckets(on: session.sql, applicationId: application.id)
            }
            #expect(afterRebuild.isEmpty, "rebuilt buckets whose count is not their rows: \(afterRebuild.prefix(5))")
            #expect(checked > 1_000)
            #expect(writes.model.messages.count > 200, "the data did not all get deleted on the way")
        }
    }

    private func total(
        of query: ListQuery, in collection: ChatCollection, store: SQLChatStore, applicationId: Int
    ) async throws -> Int {
        switch collection {
        case .dialogs: try await store.dialogs(applicationId: applicationId, query: query).totalEntries
        case .messages: try await store.messages(applicationId: applicationId, query: query).totalEntries
        }
    }

    private func bruteForceCount(
        _ query: ListQuery, in collection: ChatCollection, store: SQLChatStore, applicationId: Int
    ) async throws -> Int {
        try await store.sessions.withSession { session in
            var select = session.sql.select()
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
                .from(collection.table)
            let conditions = ListQuerySQL(dialect: store.dialect).conditions(query)
            select = select.where(SQLColumn("application_id"), .equal, SQLBind(applicationId))
            for condition in conditions {
                select = select.where(condition)
            }
            return try await select.first()?.decode(column: "total", as: Int.self) ?? -1
        }
    }

    /// The stored buckets whose `row_count` differs from a `COUNT(*)` of their key range.
    private func mismatchedBuckets(on database: any SQLDatabase, applicationId: Int) async throws -> [String] {
        let rows = try await database.raw(
            "SELECT list, field, dialog_scope, level, bucket, row_count FROM list_counts WHERE application_id = \(bind: applicationId)"
        ).all()
        var mismatched: [String] = []
        for row in rows {
            let scope = try #require(
                CountScope(
                    listCode: try row.decode(column: "list", as: Int.self),
                    fieldCode: try row.decode(column: "field", as: Int.self),
                    dialogScope: try row.decode(column: "dialog_scope", as: Data.self)))
            let level = try row.decode(column: "level", as: Int.self)
            let bucket = try row.decode(column: "bucket", as: Int64.self)
            let stored = try row.decode(column: "row_count", as: Int.self)
            var select = database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
                .from(scope.table)
                .where(SQLColumn("application_id"), .equal, SQLBind(applicationId))
            if let dialogId = scope.dialogId {
                select = select.where(SQLColumn("chat_dialog_id"), .equal, SQLBind(Data(dialogId.bytes)))
            }
            let rowsInRange = try await countInBucket(select, scope: scope, level: level, bucket: bucket)
            if rowsInRange != stored {
                mismatched.append("\(scope) level \(level) bucket \(bucket): \(stored) ≠ \(rowsInRange)")
            }
        }
        return mismatched
    }

    private func countInBucket(
        _ select: SQLSelectBuilder, scope: CountScope, level: Int, bucket: Int64
    ) async throws -> Int {
        let start = CountTree.start(of: bucket, level: level)
        let end = CountTree.end(of: bucket, level: level)
        var select = select
        switch scope.field {
        case .id:
            let first = Data(ObjectId(high: UInt64(max(0, start)) << 32, low: 0).bytes)
            select = select.where(SQLColumn("id"), .greaterThanOrEqual, SQLBind(first))
            if let end, end <= Int64(UInt32.max) {
                select = select.where(
                    SQLColumn("id"), .lessThan, SQLBind(Data(ObjectId(high: UInt64(end) << 32, low: 0).bytes)))
            }
        default:
            select = select.where(SQLColumn(scope.column), .greaterThanOrEqual, SQLBind(start))
            if let end { select = select.where(SQLColumn(scope.column), .lessThan, SQLBind(end)) }
        }
        return try await select.first()?.decode(column: "total", as: Int.self) ?? -1
    }
}
