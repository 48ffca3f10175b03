import ConfabCore

/// How far an export is, after each page; `line` is what the progress bar shows.
public struct ExportProgress: Sendable, Equatable {
    public var list: ChatCollection
    /// Rows in the file, those of an earlier run that this one resumed included.
    public var rows: Int
    /// Rows the file will hold when done, by the server's count.
    public var total: Int
    /// Rows this run wrote, and the seconds it has run.
    public var rowsThisRun: Int
    public var seconds: Double

    public var rate: Double { seconds > 0 ? Double(rowsThisRun) / seconds : 0 }

    /// `messages  12,300 / 100,000  12%  34,512/s  ETA 0:03`
    public var line: String {
        let percent = total > 0 ? min(100, rows * 100 / total) : 100
        var text = "\(list.rawValue)  \(Self.grouped(rows)) / \(Self.grouped(total))  \(percent)%"
        if rate > 0 {
            text += "  \(Self.grouped(Int(rate)))/s"
            let remaining = Double(max(total - rows, 0)) / rate
            text += "  ETA \(Self.clock(remaining))"
        }
        return text
    }

    /// `Exported 100,000 messages to out.ndjson in 2.9 s (34,482/s)`
    public func summary(destination: String) -> String {
        let resumed = rows > rowsThisRun ? " (\(Self.grouped(rowsThisRun)) in this run)" : ""
        let seconds = (self.seconds * 10).rounded() / 10
        return
            "Exported \(Self.grouped(rows)) \(list.rawValue) to \(destination)\(resumed) in \(seconds) s (\(Self.grouped(Int(rate)))/s)"
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }

    /// Seconds as `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }
}
