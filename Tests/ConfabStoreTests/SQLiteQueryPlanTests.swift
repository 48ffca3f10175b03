import ConfabCore
import ConfabTestSupport
import SQLKit
import Testing

@testable import ConfabStore

/// The SQLite planner's choice of index for the admin lists' pages, which the statistics of
/// schema versions 4 and 8 steer: a list must walk the index of its sort, never sort the
/// application's rows.
@Suite("SQLite query plans of the admin lists")
struct SQLiteQueryPlanTests {
    @Test("first pages by _id, the change feed by change_seq")
    func plans() async throws {
        try await withTemporaryStore(.sqlite) { anyStore in
            let store = try #require(anyStore as? SQLChatStore)
            _ = try await ChatFixture.make(in: store, dialogs: 50, messages: 2_000)
            let plans = try await store.sessions.withSession { session in
                var plans: [String: String] = [:]
                for (name, query) in [
                    (
                        "messages",
                        "SELECT * FROM messages WHERE application_id = 1 ORDER BY application_id DESC, id DESC LIMIT 100"
                    ),
                    (
                        "dialogs",
                        "SELECT * FROM dialogs WHERE application_id = 1 ORDER BY application_id DESC, id DESC LIMIT 100"
                    ),
                    (
                        "feed",
                        "SELECT * FROM messages WHERE application_id = 1 AND (change_seq, id) > (0, x'00') ORDER BY change_seq, id LIMIT 100"
                    ),
                ] {
                    let rows = try await session.sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + query)).all()
                    plans[name] = try rows.map { try $0.decode(column: "detail", as: String.self) }.joined(
                        separator: "; ")
                }
                return plans
            }
            #expect(plans["messages"]?.contains("messages_by_id") == true, "\(plans)")
            #expect(plans["dialogs"]?.contains("dialogs_by_id") == true, "\(plans)")
            #expect(plans["feed"]?.contains("messages_by_change") == true, "\(plans)")
            for plan in plans.values { #expect(!plan.contains("TEMP B-TREE"), "\(plans)") }
        }
    }
}
