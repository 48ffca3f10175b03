import ConfabCore
import Foundation
import SQLKit

extension SQLChatStore {
    public func createUser(_ user: ChatUser, passwordHash: String) async throws -> ChatUser {
        // Serialized with the application's other writes, so that two sign-ups with one login
        // cannot both pass the check.
        try await withApplicationWrite(user.applicationId) { session in
            let database = session.sql
            guard
                try await database.raw("SELECT id FROM applications WHERE id = \(bind: user.applicationId)").first()
                    != nil
            else { throw StoreError.unknownApplication(user.applicationId) }
            for (field, value) in [("login", user.login), ("email", user.email)] {
                guard let value else { continue }
                let taken = try await database.select().column("id").from("users")
                    .where("application_id", .equal, user.applicationId)
                    .where(SQLColumn(field), .equal, SQLBind(value))
                    .first()
                if taken != nil { throw StoreError.taken(field) }
            }
            let row = try await database.raw(
                """
                INSERT INTO users (application_id, login, email, full_name, phone, custom_data, password_hash, created_at, updated_at)
                VALUES (\(bind: user.applicationId), \(bind: user.login), \(bind: user.email), \(bind: user.fullName), \(bind: user.phone), \(bind: user.customData), \(bind: passwordHash), \(bind: user.createdAt), \(bind: user.updatedAt))
                RETURNING id
                """
            ).first()
            guard let row else { throw StoreError.corruptRow("INSERT … RETURNING gave no row") }
            var created = user
            created.id = try row.decode(column: "id", as: Int.self)
            return created
        }
    }

    public func user(applicationId: Int, id: Int) async throws -> ChatUser? {
        try await sessions.withSession { session in
            try await session.sql.select().columns(UserRow.columns).from("users")
                .where("application_id", .equal, applicationId).where("id", .equal, id)
                .first().map(UserRow.decode)
        }
    }

    public func userCredentials(applicationId: Int, login: String?, email: String?) async throws
        -> (user: ChatUser, passwordHash: String)?
    {
        guard let (field, value) = login.map({ ("login", $0) }) ?? email.map({ ("email", $0) }) else { return nil }
        return try await sessions.withSession { session in
            let row = try await session.sql.select().columns(UserRow.columns + ["password_hash"]).from("users")
                .where("application_id", .equal, applicationId)
                .where(SQLColumn(field), .equal, SQLBind(value))
                .first()
            guard let row else { return nil }
            return (try UserRow.decode(row), try row.decode(column: "password_hash", as: String.self))
        }
    }

    public func deleteUser(applicationId: Int, id: Int) async throws -> Bool {
        try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            let database = session.sql
            try await database.delete(from: "sessions")
                .where("application_id", .equal, applicationId).where("user_id", .equal, id).run()
            let deleted = try await database.raw(
                "DELETE FROM users WHERE application_id = \(bind: applicationId) AND id = \(bind: id) RETURNING id"
            ).first()
            return deleted != nil
        }
    }
}
