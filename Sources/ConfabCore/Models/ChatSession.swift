/// A session opened with `POST /session`: an application's, or a user's once a user signs in.
/// Its token is not part of it: the store keeps only the token's hash.
public struct ChatSession: Sendable, Equatable {
    public var id: Int
    public var applicationId: Int
    /// `nil` for an application-only session, which may read but not write.
    public var userId: Int?
    public var nonce: Int64
    /// The `timestamp` the session was signed with.
    public var timestamp: Int64
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds.
    public var updatedAt: Int64
    /// Unix seconds; each request moves it to `SessionPolicy.lifetime` from then.
    public var expiresAt: Int64

    public init(
        id: Int, applicationId: Int, userId: Int?, nonce: Int64, timestamp: Int64, createdAt: Int64,
        updatedAt: Int64, expiresAt: Int64
    ) {
        self.id = id
        self.applicationId = applicationId
        self.userId = userId
        self.nonce = nonce
        self.timestamp = timestamp
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
    }
}

/// How long tokens live and how far a signed timestamp may be from the server's clock.
public enum SessionPolicy {
    /// Two hours, extended by every request (sliding expiry).
    public static let lifetime: Int64 = 2 * 60 * 60
    /// A session is extended at most once a minute: within a minute of the last extension a
    /// request only reads it, so its expiry is at least `lifetime - refreshInterval` from now.
    public static let refreshInterval: Int64 = 60
    /// A `POST /session` timestamp must be within an hour of now, so that remembered nonces can
    /// be forgotten after that.
    public static let timestampWindow: Int64 = 60 * 60
}

/// Session tokens: 20 random bytes from the system's cryptographic generator, as 40 hex
/// characters. The store keeps only their SHA-256 hash.
public enum SessionToken {
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return HexDigit.lowercase((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
