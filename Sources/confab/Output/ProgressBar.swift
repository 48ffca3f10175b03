import Foundation

/// One line on standard error, redrawn in place, at most ten times a second; nothing at all
/// when standard error is not a terminal (a log, a pipe, a test).
final class ProgressBar: @unchecked Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDrawn: ContinuousClock.Instant?
    private var hasDrawn = false

    /// Draws `line`, unless one was drawn less than 0.1 s ago and this one is not `final`.
    func show(_ line: String, final: Bool = false) {
        guard isTerminal else { return }
        let now = ContinuousClock.now
        if !final, let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        hasDrawn = true
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
    }

    /// Leaves the line drawn so far and moves below it.
    func end() {
        guard hasDrawn else { return }
        hasDrawn = false
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
