import Synchronization

/// How busy one of a store's connection pools is, for `/metrics`.
public struct StorePoolUsage: Sendable, Equatable {
    /// `writer` (the primary's pool), `reader` (SQLite's readers, a replica's pool).
    public var pool: String
    public var capacity: Int
    /// Sessions lent out now.
    public var inUse: Int
    /// Callers waiting for a session now.
    public var waiting: Int

    public init(pool: String, capacity: Int, inUse: Int, waiting: Int) {
        self.pool = pool
        self.capacity = capacity
        self.inUse = inUse
        self.waiting = waiting
    }
}

/// A pool's sessions, counted as they are waited for and lent: the same count for SQLite's
/// slots and PostgresNIO's client, which keep theirs privately.
final class ObservedSessions: SQLSessions {
    private let base: any SQLSessions
    let pool: String
    let capacity: Int
    private let inUse = Atomic<Int>(0)
    private let waiting = Atomic<Int>(0)

    init(_ base: any SQLSessions, pool: String, capacity: Int) {
        self.base = base
        self.pool = pool
        self.capacity = capacity
    }

    var usage: StorePoolUsage {
        StorePoolUsage(
            pool: pool, capacity: capacity, inUse: inUse.load(ordering: .relaxed),
            waiting: waiting.load(ordering: .relaxed))
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        let lent = Atomic<Bool>(false)
        waiting.add(1, ordering: .relaxed)
        defer { stopWaiting(lent) }
        return try await base.withSession { session in try await lend(session, lent, body) }
    }

    func withWriterSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        let lent = Atomic<Bool>(false)
        waiting.add(1, ordering: .relaxed)
        defer { stopWaiting(lent) }
        return try await base.withWriterSession { session in try await lend(session, lent, body) }
    }

    func close() async throws { try await base.close() }

    /// The caller no longer waits, once: when its session is lent, or when none will be.
    private func stopWaiting(_ lent: borrowing Atomic<Bool>) {
        if !lent.exchange(true, ordering: .relaxed) { waiting.subtract(1, ordering: .relaxed) }
    }

    /// Runs `body`, counted as in use.
    private func lend<Result: Sendable>(
        _ session: StoreSession, _ lent: borrowing Atomic<Bool>,
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        stopWaiting(lent)
        inUse.add(1, ordering: .relaxed)
        defer { inUse.subtract(1, ordering: .relaxed) }
        return try await body(session)
    }
}
