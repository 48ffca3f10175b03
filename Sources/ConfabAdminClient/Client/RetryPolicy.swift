/// How often and how long `AdminClient` retries a request that failed for a reason that passes:
/// 429 (after the server's `Retry-After`, when it gives one), 502, 503, 504, or a failed
/// connection. Delays grow exponentially from `initialDelay`, capped at `maximumDelay`, each
/// drawn at random between half and all of that (jitter), so that many clients do not return
/// in step.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 means never retry.
    public var maximumAttempts: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(
        maximumAttempts: Int = 6, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30)
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Six attempts over about 15 seconds.
    public static let `default` = RetryPolicy()

    /// The wait before attempt `retry + 1` (`retry` counts from 0), at least what the server
    /// asked for, never more than `maximumDelay`.
    func delay(beforeRetry retry: Int, serverAsked: Duration?, using random: inout some RandomNumberGenerator)
        -> Duration
    {
        let exponential = initialDelay * Double(1 << min(retry, 20))
        let capped = min(exponential, maximumDelay)
        let jittered = capped * Double.random(in: 0.5...1, using: &random)
        return min(max(jittered, serverAsked ?? .zero), maximumDelay)
    }
}
