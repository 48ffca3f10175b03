import ConfabCore

/// The statistics endpoints' answers computed from the rows in memory, row by row: what the
/// store's day counters must agree with.
public enum StatsOracle {
    /// The times `query` counts, one per row.
    public static func times(_ query: StatsQuery, dialogs: [Dialog], messages: [Message]) -> [Int64] {
        let times: [Int64]
        switch query.subject {
        case .messagesSent:
            times = messages.map(\.dateSent)
        case .dialogsCreated:
            times = dialogs.filter { query.types.isEmpty || query.types.contains($0.type) }.map(\.createdAt)
        }
        return times.filter(query.contains)
    }

    public static func total(_ query: StatsQuery, dialogs: [Dialog], messages: [Message]) -> Int {
        times(query, dialogs: dialogs, messages: messages).count
    }

    public static func perDay(_ query: StatsQuery, dialogs: [Dialog], messages: [Message]) -> [DayCount] {
        var counts: [Int64: Int] = [:]
        for time in times(query, dialogs: dialogs, messages: messages) {
            counts[DayCount.day(of: time), default: 0] += 1
        }
        let window = query.days ?? DayWindow()
        return counts.keys.sorted().dropFirst(window.offset).prefix(window.limit).map {
            DayCount(day: $0, rows: counts[$0]!)
        }
    }
}
