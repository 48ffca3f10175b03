import ConfabCore
import ConfabTestSupport
import Foundation
import SQLKit
import Testing

@testable import ConfabStore

/// The statistics from the day counters against the rows in memory, after every few
/// transactions of random writes: inserts, edits that move `date_sent` (and the trees' keys),
/// deletes of messages and of whole dialogs, and bulk loads; dialogs of every type, times
/// around 2023 and far off (before 1970, past 2106).
@Suite("Statistics from the day counters")
struct StatisticsTests {
    @Test("equal a row-by-row count after random writes", arguments: StoreKind.available)
    func statisticsStayExact(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let application = try await store.createApplication(
                name: "Stats", credentials: .random(), createdAt: 1_700_000_000)
            var writes = RandomChatWrites(seed: 1_234)
            var checked = 0
            var listedDays = 0
            while writes.count < 2_000 {
                try await RandomChatWrites.run(writes.nextTransaction(), on: store, applicationId: application.id)
                let dialogs = Array(writes.model.dialogs.values)
                let messages = Array(writes.model.messages.values)
                for query in writes.statsQueries(count: 3) {
                    let total = try await store.statisticsTotal(applicationId: application.id, query: query)
                    #expect(
                        total == StatsOracle.total(query, dialogs: dialogs, messages: messages),
                        "total of \(query) after \(writes.count) writes")
                    let days = try await store.statisticsPerDay(applicationId: application.id, query: query)
                    #expect(
                        days == StatsOracle.perDay(query, dialogs: dialogs, messages: messages),
                        "per day of \(query) after \(writes.count) writes")
                    listedDays += days.count
                    checked += 1
                }
            }
            #expect(checked > 400)
            #expect(listedDays > 500, "the queries listed too few days to test anything")
            #expect(writes.model.messages.count > 200)
        }
    }

    @Test("another application's rows are not counted", arguments: StoreKind.available)
    func perApplication(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let first = try await ChatFixture.make(in: store, name: "First", dialogs: 20, messages: 200, seed: 3)
            let second = try await ChatFixture.make(in: store, name: "Second", dialogs: 7, messages: 50, seed: 4)
            for fixture in [first, second] {
                for subject in [StatsSubject.messagesSent, .dialogsCreated] {
                    let query = StatsQuery(subject: subject)
                    let total = try await store.statisticsTotal(applicationId: fixture.application.id, query: query)
                    #expect(total == (subject == .messagesSent ? fixture.messages.count : fixture.dialogs.count))
                    let days = try await store.statisticsPerDay(
                        applicationId: fixture.application.id, query: StatsQuery(subject: subject, days: DayWindow()))
                    #expect(days == StatsOracle.perDay(query, dialogs: fixture.dialogs, messages: fixture.messages))
                }
            }
        }
    }

    @Test("a database from before the day counters gets them filled from its rows", arguments: StoreKind.available)
    func migration(kind: StoreKind) async throws {
        try await withTemporaryDatabase(kind) { store, location in
            let fixture = try await ChatFixture.make(in: store, dialogs: 30, messages: 400, seed: 5)
            // Back to schema version 6: no day counters, no index by date_sent.
            let sql = try #require(store as? SQLChatStore)
            try await sql.sessions.withSession { session in
                for statement in [
                    "DROP TABLE day_counts", "DROP INDEX messages_by_date_sent",
                    "DELETE FROM schema_migrations WHERE version = 7",
                ] {
                    try await session.sql.raw(SQLQueryString(statement)).run()
                }
            }
            let reopened = try await location.openStore()
            do {
                for subject in [StatsSubject.messagesSent, .dialogsCreated] {
                    let query = StatsQuery(subject: subject, days: DayWindow(limit: 100))
                    let days = try await reopened.statisticsPerDay(applicationId: fixture.application.id, query: query)
                    #expect(days == StatsOracle.perDay(query, dialogs: fixture.dialogs, messages: fixture.messages))
                    #expect(days.count > 20)
                }
            } catch {
                try? await reopened.close()
                throw error
            }
            try await reopened.close()
        }
    }

    @Test("a partial day is counted from the rows; whole days from the counters alone")
    func daySplit() {
        let day: Int64 = 19_000
        let midnight = day * 86_400
        #expect(DaySplit(start: nil, end: nil) == DaySplit(whole: .init(first: nil, last: nil)))
        #expect(
            DaySplit(start: midnight, end: midnight + 86_399) == DaySplit(whole: .init(first: day, last: day)))
        #expect(
            DaySplit(start: midnight + 5, end: midnight + 9)
                == DaySplit(lower: .init(day: day, from: midnight + 5, through: midnight + 9)))
        #expect(
            DaySplit(start: midnight - 1, end: midnight + 86_400)
                == DaySplit(
                    whole: .init(first: day, last: day),
                    lower: .init(day: day - 1, from: midnight - 1, through: midnight - 1),
                    upper: .init(day: day + 1, from: midnight + 86_400, through: midnight + 86_400)))
        #expect(
            DaySplit(start: midnight + 1, end: midnight + 86_400)
                == DaySplit(
                    lower: .init(day: day, from: midnight + 1, through: midnight + 86_399),
                    upper: .init(day: day + 1, from: midnight + 86_400, through: midnight + 86_400)))
        #expect(
            DaySplit(start: -1, end: nil)
                == DaySplit(whole: .init(first: 0, last: nil), lower: .init(day: -1, from: -1, through: -1)))
        #expect(DaySplit(start: 5, end: 4) == DaySplit())
    }
}
