import ConfabCore
import Foundation
import SQLKit

extension SQLChatStore {
    public func useNonce(applicationId: Int, timestamp: Int64, nonce: Int64, forgetBefore: Int64) async throws
        -> Bool
    {
        do {
            try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
                try await session.sql.delete(from: "session_nonces").where("timestamp", .lessThan, forgetBefore).run()
                try await session.sql.raw(
                    "INSERT INTO session_nonces (application_id, timestamp, nonce) VALUES (\(bind: applicationId), \(bind: timestamp), \(bind: nonce))"
                ).run()
            }
            return true
        } catch  where dialect.isUniqueViolation(error) {
            return false
        }
    }

    public func createSession(
        applicationId: Int, userId: Int?, token: String, nonce: Int64, timestamp: Int64, now: Int64
    ) async throws -> ChatSession {
        let hash = Data(SecretHash(secret: token).bytes)
        let expiresAt = now + SessionPolicy.lifetime
        return try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            // Expired sessions are of no use to anyone; forget them as new ones come.
            try await session.sql.delete(from: "sessions").where("expires_at", .lessThanOrEqual, now).run()
            let row = try await session.sql.raw(
                """
                INSERT INTO sessions (application_id, user_id, token_hash, nonce, timestamp, created_at, updated_at, expires_at)
                VALUES (\(bind: applicationId), \(bind: userId), \(bind: hash), \(bind: nonce), \(bind: timestamp), \(bind: now), \(bind: now), \(bind: expiresAt))
                RETURNING id
                """
            ).first()
            guard let row else { throw StoreError.corruptRow("INSERT … RETURNING gave no row") }
            return ChatSession(
                id: try row.decode(column: "id", as: Int.self), applicationId: applicationId, userId: userId,
                nonce: nonce, timestamp: timestamp, createdAt: now, updatedAt: now, expiresAt: expiresAt)
        }
    }

    public func touchSession(token: String, now: Int64) async throws -> ChatSession? {
        let hash = Data(SecretHash(secret: token).bytes)
        // Most requests find a session extended less than `refreshInterval` ago: they only read,
        // so a request does not cost a write transaction (and an fsync) besides its own.
        let current = try await sessions.withTransaction(begin: dialect.beginRead) { session in
            try await session.sql.raw(
                """
                SELECT \(idents: SessionRow.columns, joinedBy: ", ") FROM sessions
                WHERE token_hash = \(bind: hash) AND expires_at > \(bind: now)
                """
            ).first().map(SessionRow.decode)
        }
        guard let current else { return nil }
        if current.expiresAt >= now + SessionPolicy.lifetime - SessionPolicy.refreshInterval { return current }
        return try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            // Looked up by hash through the unique index; a match of a 32-byte SHA-256 is the token.
            try await session.sql.raw(
                """
                UPDATE sessions SET expires_at = \(bind: now + SessionPolicy.lifetime)
                WHERE token_hash = \(bind: hash) AND expires_at > \(bind: now)
                RETURNING \(idents: SessionRow.columns, joinedBy: ", ")
                """
            ).first().map(SessionRow.decode)
        }
    }

    public func signIn(sessionId: Int, userId: Int?, now: Int64) async throws -> ChatSession {
        try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            let row = try await session.sql.raw(
                """
                UPDATE sessions SET user_id = \(bind: userId), updated_at = \(bind: now)
                WHERE id = \(bind: sessionId)
                RETURNING \(idents: SessionRow.columns, joinedBy: ", ")
                """
            ).first()
            guard let row else { throw StoreError.corruptRow("session \(sessionId) vanished") }
            return try SessionRow.decode(row)
        }
    }

    public func deleteSession(token: String) async throws -> Bool {
        let hash = Data(SecretHash(secret: token).bytes)
        return try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            try await session.sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: hash) RETURNING id").first()
                != nil
        }
    }
}
