import ConfabCore
import Foundation
import SQLKit

/// Administration keys (schema 9): several per application, named and scoped, kept as SHA-256
/// hashes only. Rotation keeps the old key valid until `expires_at`; revocation deletes.
extension SQLChatStore {
    /// The key `adminAPIKey` if it is accepted at `now`: its application, name and scope.
    public func adminKey(_ adminAPIKey: String, at now: Int64) async throws -> AdminKeyGrant? {
        let hash = SecretHash(secret: adminAPIKey)
        let row = try await keySessions.withSession { session in
            try await session.sql.raw(
                """
                SELECT k.id AS key_id, k.name AS key_name, k.scope, k.key_hash, k.last_used_at, k.expires_at,
                    a.id, a.name, a.auth_key, a.created_at
                FROM admin_keys k JOIN applications a ON a.id = k.application_id
                WHERE k.key_hash = \(bind: Data(hash.bytes))
                """
            ).first()
        }
        guard let row else { return nil }
        let stored = SecretHash(bytes: Array(try row.decode(column: "key_hash", as: Data.self)))
        guard stored.matches(hash) else { return nil }
        if let expiresAt = try row.decode(column: "expires_at", as: Int64?.self), expiresAt <= now { return nil }
        guard let scope = AdminKeyScope(rawValue: try row.decode(column: "scope", as: String.self)) else {
            throw StoreError.corruptRow("admin_keys.scope is neither read nor admin")
        }
        return AdminKeyGrant(
            application: try Self.application(row), name: try row.decode(column: "key_name", as: String.self),
            scope: scope, keyId: try row.decode(column: "key_id", as: Int64.self),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self))
    }

    /// Records that the key was accepted at `now`.
    public func recordAdminKeyUse(keyId: Int64, at now: Int64) async throws {
        try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            try await session.sql.run(
                "UPDATE admin_keys SET last_used_at = \(bind: now) WHERE id = \(bind: keyId)" as SQLQueryString)
        }
    }

    /// The application's keys still accepted at `now`, oldest first.
    public func adminKeys(applicationId: Int, at now: Int64) async throws -> [AdminKeyInfo] {
        let rows = try await sessions.withSession { session in
            try await session.sql.raw(
                """
                SELECT name, scope, created_at, last_used_at, expires_at FROM admin_keys
                WHERE application_id = \(bind: applicationId) AND (expires_at IS NULL OR expires_at > \(bind: now))
                ORDER BY created_at, id
                """
            ).all()
        }
        return try rows.map { row in
            guard let scope = AdminKeyScope(rawValue: try row.decode(column: "scope", as: String.self)) else {
                throw StoreError.corruptRow("admin_keys.scope is neither read nor admin")
            }
            return AdminKeyInfo(
                name: try row.decode(column: "name", as: String.self), scope: scope,
                createdAt: try row.decode(column: "created_at", as: Int64.self),
                lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self),
                expiresAt: try row.decode(column: "expires_at", as: Int64?.self))
        }
    }

    /// A new key named `name` (no live key of the application may have that name); answers the
    /// key, which is shown once and kept only as its hash.
    public func createAdminKey(applicationId: Int, name: String, scope: AdminKeyScope, at now: Int64)
        async throws -> String
    {
        try Self.checkKeyName(name)
        let key = ApplicationCredentials.randomAdminAPIKey()
        do {
            try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
                guard try await Self.applicationExists(applicationId, on: session.sql) else {
                    throw StoreError.unknownApplication(applicationId)
                }
                try await Self.dropExpiredKeys(applicationId: applicationId, at: now, on: session.sql)
                try await Self.insertKey(
                    key, applicationId: applicationId, name: name, scope: scope, at: now, on: session.sql)
            }
        } catch  where dialect.isUniqueViolation(error) {
            throw StoreError.conflict("the application has a key named \(name) already")
        }
        return key
    }

    /// Deletes every key named `name` of the application, a rotated-out one too; answers how many.
    public func revokeAdminKey(applicationId: Int, name: String) async throws -> Int {
        try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            try await session.sql.raw(
                "DELETE FROM admin_keys WHERE application_id = \(bind: applicationId) AND name = \(bind: name) RETURNING id"
            ).all().count
        }
    }

    /// A new key in place of the live key named `name`, with its scope; the old one stays
    /// accepted for `graceSeconds` (0: refused at once). Answers the new key and its scope, or
    /// `nil` when the application has no live key of that name.
    public func rotateAdminKey(applicationId: Int, name: String, graceSeconds: Int64, at now: Int64)
        async throws -> (key: String, scope: AdminKeyScope)?
    {
        let key = ApplicationCredentials.randomAdminAPIKey()
        let rotated = try await sessions.withWriteTransaction(begin: dialect.beginWrite) {
            session -> AdminKeyScope? in
            try await Self.dropExpiredKeys(applicationId: applicationId, at: now, on: session.sql)
            guard
                let row = try await session.sql.raw(
                    """
                    SELECT id, scope FROM admin_keys
                    WHERE application_id = \(bind: applicationId) AND name = \(bind: name) AND expires_at IS NULL
                    """
                ).first()
            else { return nil }
            let id = try row.decode(column: "id", as: Int64.self)
            guard let scope = AdminKeyScope(rawValue: try row.decode(column: "scope", as: String.self)) else {
                throw StoreError.corruptRow("admin_keys.scope is neither read nor admin")
            }
            if graceSeconds > 0 {
                try await session.sql.run(
                    "UPDATE admin_keys SET expires_at = \(bind: now + graceSeconds) WHERE id = \(bind: id)"
                        as SQLQueryString)
            } else {
                try await session.sql.run("DELETE FROM admin_keys WHERE id = \(bind: id)" as SQLQueryString)
            }
            try await Self.insertKey(
                key, applicationId: applicationId, name: name, scope: scope, at: now, on: session.sql)
            return scope
        }
        return rotated.map { (key, $0) }
    }

    static func insertKey(
        _ key: String, applicationId: Int, name: String, scope: AdminKeyScope, at now: Int64,
        on database: any SQLDatabase
    ) async throws {
        try await database.run(
            """
            INSERT INTO admin_keys (application_id, name, scope, key_hash, created_at)
            VALUES (\(bind: applicationId), \(bind: name), \(bind: scope.rawValue), \(bind: Data(SecretHash(secret: key).bytes)), \(bind: now))
            """ as SQLQueryString)
    }

    private static func dropExpiredKeys(applicationId: Int, at now: Int64, on database: any SQLDatabase) async throws {
        try await database.run(
            "DELETE FROM admin_keys WHERE application_id = \(bind: applicationId) AND expires_at <= \(bind: now)"
                as SQLQueryString)
    }

    private static func applicationExists(_ id: Int, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("SELECT 1 AS found FROM applications WHERE id = \(bind: id)").first() != nil
    }

    private static func checkKeyName(_ name: String) throws {
        guard AdminKeyInfo.isValidName(name) else {
            throw StoreError.unstorableValue("a key's name is 1 to 64 characters, none of them control characters")
        }
    }
}
