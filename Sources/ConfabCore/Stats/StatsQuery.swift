/// One of the Admin API's four statistics endpoints (`admin-stats-api.md`): what it counts, and
/// whether it answers one total or a count per day.
public enum StatsEndpoint: Sendable, CaseIterable {
    case messagesSentTotal
    case messagesSentPerDay
    case dialogsCreatedTotal
    case dialogsCreatedPerDay

    public var subject: StatsSubject {
        switch self {
        case .messagesSentTotal, .messagesSentPerDay: .messagesSent
        case .dialogsCreatedTotal, .dialogsCreatedPerDay: .dialogsCreated
        }
    }

    public var isPerDay: Bool { self == .messagesSentPerDay || self == .dialogsCreatedPerDay }

    /// The path under `/admin/`.
    public var path: String {
        switch self {
        case .messagesSentTotal: "stats/messages/sent-total"
        case .messagesSentPerDay: "stats/messages/sent-per-day"
        case .dialogsCreatedTotal: "stats/dialogs/created-total"
        case .dialogsCreatedPerDay: "stats/dialogs/created-per-day"
        }
    }
}

/// What is counted: messages by `date_sent`, dialogs by `created_at` — the rows that exist now,
/// exactly those the admin lists show.
public enum StatsSubject: Sendable, Equatable {
    case messagesSent
    case dialogsCreated
}

/// A statistics request: the rows of `subject` whose time is within `start ... end` (each
/// side inclusive, `nil` open), of `types` (dialogs only; empty: every type), and for a per-day
/// endpoint which of the listed days to answer.
public struct StatsQuery: Sendable, Equatable {
    public var subject: StatsSubject
    public var start: Int64?
    public var end: Int64?
    /// Ascending, each once.
    public var types: [DialogType]
    /// `nil` for a total.
    public var days: DayWindow?

    /// Bounds beyond ±2^62 seconds are held at it: no stored time is that far off, and a day's
    /// arithmetic on them cannot overflow.
    public static let farthestSecond: Int64 = 1 << 62

    public init(
        subject: StatsSubject, start: Int64? = nil, end: Int64? = nil, types: [DialogType] = [], days: DayWindow? = nil
    ) {
        self.subject = subject
        self.start = start.map { min(max($0, -Self.farthestSecond), Self.farthestSecond) }
        self.end = end.map { min(max($0, -Self.farthestSecond), Self.farthestSecond) }
        self.types = Array(Set(types)).sorted { $0.rawValue < $1.rawValue }
        self.days = days
    }

    /// Whether a row at `seconds` is within the bounds.
    public func contains(_ seconds: Int64) -> Bool {
        (start.map { $0 <= seconds } ?? true) && (end.map { seconds <= $0 } ?? true)
    }
}

/// Which of the listed days a per-day answer holds: `offset` listed days skipped, then at most
/// `limit`.
public struct DayWindow: Sendable, Equatable {
    public static let maximumLimit = 100
    public static let defaultLimit = 100

    public var offset: Int
    public var limit: Int

    public init(offset: Int = 0, limit: Int = DayWindow.defaultLimit) {
        self.offset = max(offset, 0)
        self.limit = min(max(limit, 1), Self.maximumLimit)
    }
}

/// How many rows one UTC calendar day holds.
public struct DayCount: Sendable, Equatable {
    /// Days since 1970-01-01.
    public var day: Int64
    public var rows: Int

    public init(day: Int64, rows: Int) {
        self.day = day
        self.rows = rows
    }

    public static let secondsPerDay: Int64 = 86_400

    /// The UTC day of a unix time, rounded down (times before 1970 included).
    public static func day(of seconds: Int64) -> Int64 {
        let (quotient, remainder) = seconds.quotientAndRemainder(dividingBy: secondsPerDay)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// `YYYY-MM-DD`, the day's key in a per-day answer.
    public var date: String { UTCTimestamp.date(days: day) }
}

extension StatsQuery {
    /// The query as the endpoint's parameters: what `StatsQueryParser` reads back as this query.
    public var formParameters: [FormParameter] {
        var parameters: [FormParameter] = []
        if let start { parameters.append(FormParameter(name: "start_date", value: String(start))) }
        if let end { parameters.append(FormParameter(name: "end_date", value: String(end))) }
        if subject == .dialogsCreated {
            parameters += types.map { FormParameter(name: "types[]", value: String($0.rawValue)) }
        }
        if let days {
            parameters.append(FormParameter(name: "offset", value: String(days.offset)))
            parameters.append(FormParameter(name: "limit", value: String(days.limit)))
        }
        return parameters
    }

    /// The endpoint that answers this query.
    public var endpoint: StatsEndpoint {
        switch (subject, days != nil) {
        case (.messagesSent, false): .messagesSentTotal
        case (.messagesSent, true): .messagesSentPerDay
        case (.dialogsCreated, false): .dialogsCreatedTotal
        case (.dialogsCreated, true): .dialogsCreatedPerDay
        }
    }
}
