import ConfabAdminClient
import ConfabCore
import ConfabTestSupport
import Testing

@Suite("AdminClient's statistics against a live Confab server")
struct StatisticsClientTests {
    @Test("typed totals and days equal a count of the fixture's rows", arguments: StoreKind.available)
    func statistics(kind: StoreKind) async throws {
        try await withServedFixture(kind) { client, fixture in
            let sent = fixture.messages.map(\.dateSent).sorted()
            let (start, end) = (sent[100], sent[500])
            let all = try await client.messagesSent()
            #expect(all == fixture.messages.count)
            let between = try await client.messagesSent(from: start, through: end)
            #expect(between == sent.filter { (start...end).contains($0) }.count)
            let days = try await client.messagesSentPerDay(from: start, offset: 2, limit: 5)
            #expect(days.count == 5)
            #expect(
                days
                    == Self.expected(
                        StatsQuery(subject: .messagesSent, start: start, days: DayWindow(offset: 2, limit: 5)), fixture)
            )
            let types: [DialogType] = [.group, .privateChat]
            let dialogs = try await client.dialogsCreated(types: types)
            #expect(dialogs == fixture.dialogs.filter { types.contains($0.type) }.count)
            let end3 = fixture.dialogs[3].createdAt
            let dialogDays = try await client.dialogsCreatedPerDay(through: end3, types: [.group])
            #expect(
                dialogDays
                    == Self.expected(
                        StatsQuery(subject: .dialogsCreated, end: end3, types: [.group], days: DayWindow()), fixture))
        }
    }

    static func expected(_ query: StatsQuery, _ fixture: ChatFixture) -> [DayCount] {
        StatsOracle.perDay(query, dialogs: fixture.dialogs, messages: fixture.messages)
    }
}
