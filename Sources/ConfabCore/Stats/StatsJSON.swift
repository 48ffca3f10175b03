/// The statistics endpoints' answers: `{"total":167}`, and `{"2023-02-20":56,"2023-02-21":78}`
/// (listed days ascending, as the keys' order).
public enum StatsJSON {
    public static func total(_ total: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 32)
        writer.beginObject()
        writer.member("total", total)
        writer.endObject()
        return writer.bytes
    }

    public static func perDay(_ days: [DayCount]) -> [UInt8] {
        var writer = JSONWriter(capacity: 16 + days.count * 20)
        writer.beginObject()
        for day in days { writer.member(day.date, day.rows) }
        writer.endObject()
        return writer.bytes
    }

    /// A total answer's number.
    public static func readTotal(_ bytes: [UInt8]) throws -> Int {
        guard case .object(let object) = try JSONParser.parse(bytes), case .integer(let total)? = object["total"],
            let value = Int(exactly: total), value >= 0
        else { throw StatsAnswerError("the answer is not {\"total\":<count>}") }
        return value
    }

    /// A per-day answer's days, in the answer's order.
    public static func readPerDay(_ bytes: [UInt8]) throws -> [DayCount] {
        guard case .object(let object) = try JSONParser.parse(bytes) else {
            throw StatsAnswerError("the answer is not an object of days")
        }
        return try object.members.map { member in
            guard let day = UTCTimestamp.days(date: member.key), case .integer(let rows) = member.value,
                let count = Int(exactly: rows), count > 0
            else { throw StatsAnswerError("\(ParameterErrors.shortened(member.key)) is not a day and its count") }
            return DayCount(day: day, rows: count)
        }
    }
}

/// A statistics answer that is not what the endpoint answers.
public struct StatsAnswerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
