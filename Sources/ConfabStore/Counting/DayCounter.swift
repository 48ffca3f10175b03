import ConfabCore
import SQLKit

/// Keeps `day_counts` — rows per UTC day: messages by `date_sent`, dialogs by `created_at` and
/// type — in step with the rows, in the transaction that changes them, and answers the
/// statistics endpoints from it (docs/statistics.md).
///
/// A count over whole days reads one counter row per day (and type), so a year per day costs
/// what a page costs. A bound inside a day leaves that day partial: its rows are counted in the
/// `(application_id, date_sent)` or `(application_id, created_at)` index, at most one day's
/// rows for each of the two bounds.
enum DayCounter {
    /// A counter row: which list, which UTC day, which dialog type (0 for messages).
    struct Key: Hashable, Sendable {
        var list: Int
        var day: Int64
        var type: Int
    }

    static let rowsPerUpsert = 1_000

    // MARK: Changing

    /// Adds one per row entering and takes one per row leaving.
    static func apply(
        leaving: [StoredKeys], entering: [StoredKeys], applicationId: Int, on database: any SQLDatabase
    ) async throws {
        var deltas: [Key: Int] = [:]
        for keys in leaving { deltas[keys.day, default: 0] -= 1 }
        for keys in entering { deltas[keys.day, default: 0] += 1 }
        let due = deltas.filter { $0.value != 0 }.sorted {
            ($0.key.list, $0.key.day, $0.key.type) < ($1.key.list, $1.key.day, $1.key.type)
        }
        for start in stride(from: 0, to: due.count, by: rowsPerUpsert) {
            let values = due[start..<min(start + rowsPerUpsert, due.count)].map { key, delta -> SQLQueryString in
                "(\(bind: applicationId), \(bind: key.list), \(bind: key.day), \(bind: key.type), \(bind: delta))"
            }
            try await database.run(
                """
                INSERT INTO day_counts (application_id, list, day, type, row_count)
                VALUES \(values.joined(separator: ", "))
                ON CONFLICT (application_id, list, day, type)
                DO UPDATE SET row_count = day_counts.row_count + excluded.row_count
                """ as SQLQueryString)
        }
    }

    /// Counts every application's rows afresh: the migration that creates `day_counts` fills it
    /// so. The statement is fixed; its day is unix seconds rounded down to a multiple of 86,400.
    @Sendable static func rebuildAll(on database: any SQLDatabase) async throws {
        try await database.raw("DELETE FROM day_counts").run()
        for statement in rebuildStatements { try await database.raw(SQLQueryString(statement)).run() }
    }

    private static let rebuildStatements: [String] = {
        // The UTC day of unix seconds, rounded down also before 1970 (`/` and `%` truncate
        // toward zero in both stores).
        func day(_ column: String) -> String { "((\(column) - (((\(column) % 86400) + 86400) % 86400)) / 86400)" }
        return [
            """
            INSERT INTO day_counts (application_id, list, day, type, row_count)
            SELECT application_id, 1, \(day("date_sent")), 0, COUNT(*) FROM messages
            GROUP BY application_id, \(day("date_sent"))
            """,
            """
            INSERT INTO day_counts (application_id, list, day, type, row_count)
            SELECT application_id, 0, \(day("created_at")), type, COUNT(*) FROM dialogs
            GROUP BY application_id, \(day("created_at")), type
            """,
        ]
    }()

    // MARK: Counting

    /// How many rows `query` counts.
    static func total(_ query: StatsQuery, applicationId: Int, on database: any SQLDatabase) async throws -> Int {
        let split = DaySplit(query)
        var total = 0
        for edge in [split.lower, split.upper].compactMap(\.self) {
            total += try await count(edge, query, applicationId: applicationId, on: database)
        }
        if let whole = split.whole {
            let conditions = dayConditions(query, whole, applicationId: applicationId)
            total +=
                try await database.rows(
                    of:
                        "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) AS total FROM day_counts WHERE \(conditions)"
                        as SQLQueryString, ColumnCursor.total
                ).first ?? 0
        }
        return total
    }

    /// The days `query` lists (those with at least one row, ascending), its window of them.
    static func perDay(_ query: StatsQuery, applicationId: Int, on database: any SQLDatabase) async throws
        -> [DayCount]
    {
        let window = query.days ?? DayWindow()
        let split = DaySplit(query)
        /// A partial day, listed if it holds a row.
        func listed(_ edge: DaySplit.Edge?) async throws -> DayCount? {
            guard let edge else { return nil }
            let rows = try await count(edge, query, applicationId: applicationId, on: database)
            return rows > 0 ? DayCount(day: edge.day, rows: rows) : nil
        }
        // Listed in order: the lower partial day, the whole days, the upper partial day.
        let lowerEdge = try await listed(split.lower)
        let upperEdge = try await listed(split.upper)
        var offset = window.offset
        var days: [DayCount] = []
        if let lowerEdge {
            if offset > 0 { offset -= 1 } else { days.append(lowerEdge) }
        }
        if let whole = split.whole, days.count < window.limit {
            let conditions = dayConditions(query, whole, applicationId: applicationId)
            let wanted = window.limit - days.count
            let listed = try await database.rows(
                of: """
                    SELECT day, CAST(SUM(row_count) AS BIGINT) AS total FROM day_counts WHERE \(conditions)
                    GROUP BY day HAVING SUM(row_count) > 0 ORDER BY day LIMIT \(bind: wanted) OFFSET \(bind: offset)
                    """ as SQLQueryString
            ) { row in
                var columns = ColumnCursor(row, names: ["day", "total"])
                return DayCount(day: try columns.integer(), rows: try columns.int())
            }
            days += listed
            if listed.isEmpty {
                // The offset may have passed every whole day: by how many does it reach further?
                offset -=
                    try await database.rows(
                        of: """
                            SELECT COUNT(*) AS total FROM (SELECT day FROM day_counts WHERE \(conditions)
                            GROUP BY day HAVING SUM(row_count) > 0) AS listed
                            """ as SQLQueryString, ColumnCursor.total
                    ).first ?? 0
            } else {
                offset = 0
            }
        }
        if let upperEdge, days.count < window.limit, offset == 0 { days.append(upperEdge) }
        return days
    }

    /// The rows of one partial day, counted in the index by time.
    private static func count(
        _ edge: DaySplit.Edge, _ query: StatsQuery, applicationId: Int, on database: any SQLDatabase
    ) async throws -> Int {
        let (table, column) = query.subject == .messagesSent ? ("messages", "date_sent") : ("dialogs", "created_at")
        var conditions: [any SQLExpression] = [
            SQLBinaryExpression(SQLColumn("application_id"), .equal, SQLBind(applicationId)),
            SQLBinaryExpression(SQLColumn(column), .greaterThanOrEqual, SQLBind(edge.from)),
            SQLBinaryExpression(SQLColumn(column), .lessThanOrEqual, SQLBind(edge.through)),
        ]
        if !query.types.isEmpty {
            conditions.append(
                SQLBinaryExpression(
                    SQLColumn("type"), .in, SQLGroupExpression(query.types.map { SQLBind($0.rawValue) })))
        }
        return try await database.countRows(in: table, where: conditions)
    }

    /// The counter rows of `query`'s whole days.
    private static func dayConditions(_ query: StatsQuery, _ whole: DaySplit.Days, applicationId: Int)
        -> SQLQueryString
    {
        var conditions: SQLQueryString =
            "application_id = \(bind: applicationId) AND list = \(bind: query.subject == .messagesSent ? 1 : 0)"
        if let first = whole.first { conditions = "\(conditions) AND day >= \(bind: first)" }
        if let last = whole.last { conditions = "\(conditions) AND day <= \(bind: last)" }
        if !query.types.isEmpty {
            let types = query.types.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
            conditions = "\(conditions) AND type IN (\(types))"
        }
        return conditions
    }
}

/// A statistics query's bounds as the days its counters answer whole, and the at most two
/// partial days at its ends, whose rows are counted in the index.
struct DaySplit: Equatable {
    /// A range of whole days; `nil` leaves that side open.
    struct Days: Equatable {
        var first: Int64?
        var last: Int64?
    }

    /// One partial day: its rows from `from` through `through` (seconds).
    struct Edge: Equatable {
        var day: Int64
        var from: Int64
        var through: Int64
    }

    /// `nil`: no whole day.
    var whole: Days?
    /// The partial day at the start (or the one partial day both bounds are in).
    var lower: Edge?
    /// The partial day at the end, after every whole day.
    var upper: Edge?

    init(_ query: StatsQuery) {
        self.init(start: query.start, end: query.end)
    }

    init(whole: Days? = nil, lower: Edge? = nil, upper: Edge? = nil) {
        self.whole = whole
        self.lower = lower
        self.upper = upper
    }

    init(start: Int64?, end: Int64?) {
        let perDay = DayCount.secondsPerDay
        func first(_ day: Int64) -> Int64 { day * perDay }
        func last(_ day: Int64) -> Int64 { day * perDay + perDay - 1 }
        let startDay = start.map(DayCount.day(of:))
        let endDay = end.map(DayCount.day(of:))
        if let start, let end {
            guard start <= end else { return }
            if startDay == endDay, let day = startDay {
                if start == first(day), end == last(day) {
                    whole = Days(first: day, last: day)
                } else {
                    lower = Edge(day: day, from: start, through: end)
                }
                return
            }
        }
        var days = Days(first: startDay, last: endDay)
        if let start, let day = startDay, start != first(day) {
            lower = Edge(day: day, from: start, through: last(day))
            days.first = day + 1
        }
        if let end, let day = endDay, end != last(day) {
            upper = Edge(day: day, from: first(day), through: end)
            days.last = day - 1
        }
        if let from = days.first, let through = days.last, from > through { return }
        whole = days
    }
}
