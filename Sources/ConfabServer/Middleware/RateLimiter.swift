import ConfabCore
import Crypto
import Foundation
import Synchronization

/// A token bucket's shape: `perSecond` tokens are added each second, up to `burst`.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }
}

/// The three limiters, each `nil` when off. Defaults are well above what one real app does:
/// an export through one admin key runs a few hundred pages a second, a user's client a few
/// requests a second, and a backend creating its users' sessions from one address a few dozen.
public struct RateLimits: Sendable, Equatable {
    /// Per application admin key: the admin lists, exports and admin writes.
    public var perAdminKey: RateLimit?
    /// Per session token: the chat REST API.
    public var perSession: RateLimit?
    /// Per client address: `POST /session`, `POST /login`, `POST /users`, and every request whose
    /// key or token was refused (so guessing keys costs the guesser, not the server).
    public var perAddress: RateLimit?
    /// Buckets one limiter keeps; past it those not touched for a while are dropped, so a client
    /// cycling through addresses or made-up keys cannot grow the limiter's memory.
    public var maximumTrackedClients: Int

    public init(
        perAdminKey: RateLimit? = RateLimit(perSecond: 1_000, burst: 2_000),
        perSession: RateLimit? = RateLimit(perSecond: 100, burst: 200),
        perAddress: RateLimit? = RateLimit(perSecond: 50, burst: 200),
        maximumTrackedClients: Int = 100_000
    ) {
        self.perAdminKey = perAdminKey
        self.perSession = perSession
        self.perAddress = perAddress
        self.maximumTrackedClients = maximumTrackedClients
    }

    public static let standard = RateLimits()
    public static let off = RateLimits(perAdminKey: nil, perSession: nil, perAddress: nil)
}

/// Token buckets keyed by a client's identity. Keys are SHA-256 digests, so no key or token
/// is held in memory as sent. Memory is bounded by two generations of at most half of
/// `maximumTrackedClients` each: a bucket not touched for a whole generation is forgotten,
/// which only ever gives that client a full bucket, as a new client gets.
final class RateLimiter: Sendable {
    /// Whether a request may go ahead, or how many seconds until it could.
    enum Decision: Equatable {
        case allowed
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private struct State {
        var current: [[UInt8]: Bucket] = [:]
        var previous: [[UInt8]: Bucket] = [:]
    }

    let limit: RateLimit
    private let generationSize: Int
    private let clock = ContinuousClock()
    private let state = Mutex(State())

    init(_ limit: RateLimit, maximumTrackedClients: Int) {
        self.limit = limit
        generationSize = max(1, maximumTrackedClients / 2)
    }

    /// Takes one token from the bucket of `identity`, or with `peek` only says whether one is there.
    func take(_ identity: some DataProtocol, peek: Bool = false) -> Decision {
        let key = Array(SHA256.hash(data: identity))
        let now = clock.now
        return state.withLock { state in
            var bucket =
                state.current.removeValue(forKey: key) ?? state.previous.removeValue(forKey: key)
                ?? Bucket(tokens: limit.burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(limit.burst, bucket.tokens + seconds * limit.perSecond)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                if !peek { bucket.tokens -= 1 }
                decision = .allowed
            } else {
                let wait = (1 - bucket.tokens) / limit.perSecond
                decision = .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            if state.current.count >= generationSize {
                state.previous = state.current
                state.current = [:]
            }
            state.current[key] = bucket
            return decision
        }
    }

    /// Buckets held now (tests check the bound).
    var trackedClients: Int { state.withLock { $0.current.count + $0.previous.count } }
}

/// The server's limiters, and the checks the middleware and routes call.
struct RateLimiting: Sendable {
    let adminKeys: RateLimiter?
    let sessions: RateLimiter?
    let addresses: RateLimiter?

    init(_ limits: RateLimits) {
        adminKeys = limits.perAdminKey.map { RateLimiter($0, maximumTrackedClients: limits.maximumTrackedClients) }
        sessions = limits.perSession.map { RateLimiter($0, maximumTrackedClients: limits.maximumTrackedClients) }
        addresses = limits.perAddress.map { RateLimiter($0, maximumTrackedClients: limits.maximumTrackedClients) }
    }

    /// An unauthenticated endpoint: one token of the client address's bucket.
    func admitAddress(_ context: ConfabRequestContext) throws {
        try Self.check(addresses?.take(Array(context.clientAddress.utf8)))
    }

    /// Before a key or token is looked up: refused while the address has used up its bucket on
    /// refused credentials, without taking a token.
    func checkAddress(_ context: ConfabRequestContext) throws {
        try Self.check(addresses?.take(Array(context.clientAddress.utf8), peek: true))
    }

    /// A key or token was refused: it costs the address one token.
    func noteRefusal(_ context: ConfabRequestContext) {
        _ = addresses?.take(Array(context.clientAddress.utf8))
    }

    func admit(adminKey: String) throws {
        try Self.check(adminKeys?.take(Array(adminKey.utf8)))
    }

    func admit(sessionToken: String) throws {
        try Self.check(sessions?.take(Array(sessionToken.utf8)))
    }

    private static func check(_ decision: RateLimiter.Decision?) throws {
        if case .limited(let seconds) = decision { throw APIError.tooManyRequests(retryAfterSeconds: seconds) }
    }
}
