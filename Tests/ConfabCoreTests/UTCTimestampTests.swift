import Foundation
import Testing

@testable import ConfabCore

@Suite struct UTCTimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_645_095_700, "2022-02-17T11:01:40Z"),  // reference dialog created_at
        (1_645_095_709, "2022-02-17T11:01:49Z"),  // reference dialog updated_at
        (1_669_548_991, "2022-11-27T11:36:31Z"),  // reference message created_at
        (951_782_400, "2000-02-29T00:00:00Z"),  // leap day of a year divisible by 400
        (68_169_600, "1972-02-29T00:00:00Z"),
        (1_709_164_800, "2024-02-29T00:00:00Z"),
        (4_107_456_000, "2100-02-28T00:00:00Z"),  // 2100 is not a leap year...
        (4_107_542_400, "2100-03-01T00:00:00Z"),  // ...so March follows February 28
        (4_102_444_799, "2099-12-31T23:59:59Z"),
        (4_102_444_800, "2100-01-01T00:00:00Z"),
        (86_399, "1970-01-01T23:59:59Z"),
        (86_400, "1970-01-02T00:00:00Z"),
        (2_147_483_647, "2038-01-19T03:14:07Z"),
        (4_294_967_295, "2106-02-07T06:28:15Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (-86_399, "1969-12-31T00:00:01Z"),
        (-86_400, "1969-12-31T00:00:00Z"),
        (-86_401, "1969-12-30T23:59:59Z"),
        (-31_536_000, "1969-01-01T00:00:00Z"),
        (-2_208_988_800, "1900-01-01T00:00:00Z"),
    ])
    func knownValues(seconds: Int64, expected: String) {
        #expect(UTCTimestamp.iso8601(seconds) == expected)
    }

    @Test func appendsToExistingBytes() {
        var bytes = Array("\"".utf8)
        UTCTimestamp.appendISO8601(1_645_095_709, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        #expect(String(decoding: bytes, as: UTF8.self) == "\"2022-02-17T11:01:49Z\"")
    }

    @Test func matchesFoundationOverSeededRandomSeconds() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.formatOptions = [.withInternetDateTime]
        var random = SeededRandomNumberGenerator(seed: 0x150_8601)
        var samples = (0..<3_000).map { _ in Int64.random(in: 0..<4_102_444_800, using: &random) }
        // Day and year boundaries, where off-by-one errors live.
        samples += [0, 59, 60, 3_599, 3_600, 86_399, 86_400, 951_868_799, 951_868_800, 4_102_444_799]
        for seconds in samples {
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(UTCTimestamp.iso8601(seconds) == expected, "seconds \(seconds)")
        }
    }

    @Test func civilDateOfEveryDayOfAFourHundredYearCycleIsConsecutive() {
        // Walk day by day from 1970-01-01 for 400 years and check the calendar by hand.
        var (year, month, day): (Int64, Int64, Int64) = (1970, 1, 1)
        for days in Int64(0)..<146_097 {
            let civil = UTCTimestamp.civilDate(fromDays: days)
            guard civil == (year, month, day) else {
                Issue.record("day \(days): got \(civil), expected \((year, month, day))")
                return
            }
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length: Int64 = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month - 1)]
            day += 1
            if day > length {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(year == 2370 && month == 1 && day == 1)
    }
}
