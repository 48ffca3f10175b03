/// What an administration key may do.
public enum AdminKeyScope: String, Sendable, CaseIterable, Comparable {
    /// The admin lists, exports, statistics and the change feed.
    case read
    /// Also every admin write and key management.
    case admin

    /// Whether a key of this scope may do what `needed` allows.
    public func allows(_ needed: AdminKeyScope) -> Bool { self >= needed }

    public static func < (lhs: AdminKeyScope, rhs: AdminKeyScope) -> Bool {
        lhs == .read && rhs == .admin
    }
}

/// One administration key as an operator sees it: never the key itself.
public struct AdminKeyInfo: Sendable, Equatable {
    public var name: String
    public var scope: AdminKeyScope
    public var createdAt: Int64
    /// When it was last accepted, to the minute; `nil` if never.
    public var lastUsedAt: Int64?
    /// When a rotated-out key stops being accepted; `nil` for a key that does not expire.
    public var expiresAt: Int64?

    public init(name: String, scope: AdminKeyScope, createdAt: Int64, lastUsedAt: Int64?, expiresAt: Int64?) {
        self.name = name
        self.scope = scope
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
    }

    /// Names are the operator's labels: 1 to 64 characters, none of them control characters.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

/// An accepted administration key: its application, name and scope.
public struct AdminKeyGrant: Sendable, Equatable {
    public var application: ChatApplication
    public var name: String
    public var scope: AdminKeyScope
    /// The key's row, for recording its use.
    public var keyId: Int64
    public var lastUsedAt: Int64?

    public init(application: ChatApplication, name: String, scope: AdminKeyScope, keyId: Int64, lastUsedAt: Int64?) {
        self.application = application
        self.name = name
        self.scope = scope
        self.keyId = keyId
        self.lastUsedAt = lastUsedAt
    }
}
