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
            try await checkUnique(user, on: database)
            let row = try await database.insert(into: "users")
                .columns(["application_id"] + UserRow.writableColumns + ["password_hash"])
                .values([SQLBind(user.applicationId)] + UserRow.values(user) + [SQLBind(passwordHash)])
                .returning("id")
                .first()
            guard let row else { throw StoreError.corruptRow("INSERT … RETURNING gave no row") }
            var created = user
            created.id = try row.decode(column: "id", as: Int.self)
            return created
        }
    }

    public func updateUser(_ user: ChatUser, passwordHash: String?) async throws {
        try await withApplicationWrite(user.applicationId) { session in
            let database = session.sql
            try await checkUnique(user, on: database)
            var update = database.update("users")
            for (column, value) in zip(UserRow.writableColumns, UserRow.values(user)) where column != "created_at" {
                update = update.set(SQLColumn(column), to: value)
            }
            if let passwordHash { update = update.set("password_hash", to: passwordHash) }
            try await update.where("application_id", .equal, user.applicationId).where("id", .equal, user.id).run()
        }
    }

    /// Throws `StoreError.taken` naming the field if another user of the application has the
    /// user's login, email or external user id.
    private func checkUnique(_ user: ChatUser, on database: any SQLDatabase) async throws {
        let fields: [(String, (any Encodable & Sendable)?)] = [
            ("login", user.login), ("email", user.email), ("external_user_id", user.profile.externalUserId),
        ]
        for (field, value) in fields {
            guard let value else { continue }
            let taken = try await database.select().column("id").from("users")
                .where("application_id", .equal, user.applicationId)
                .where(SQLColumn(field), .equal, SQLBind(value))
                .where("id", .notEqual, user.id)
                .first()
            if taken != nil { throw StoreError.taken(field) }
        }
    }

    public func user(applicationId: Int, id: Int) async throws -> ChatUser? {
        try await user(applicationId: applicationId, by: .id(id))
    }

    public func user(applicationId: Int, by key: UserKey) async throws -> ChatUser? {
        let (column, value): (String, any Encodable & Sendable) =
            switch key {
            case .id(let id): ("id", id)
            case .login(let login): ("login", login)
            case .email(let email): ("email", email)
            case .externalUserId(let id): ("external_user_id", id)
            }
        return try await sessions.withSession { session in
            try await session.sql.select().columns(UserRow.columns).from("users")
                .where("application_id", .equal, applicationId).where(SQLColumn(column), .equal, SQLBind(value))
                .firstRow(UserRow.decode)
        }
    }

    public func users(applicationId: Int, query: UserQuery) async throws -> ListPage<ChatUser> {
        let page = ListQuery(limit: query.limit, skip: query.skip)
        // The count and the page from one snapshot.
        return try await sessions.withTransaction(begin: dialect.beginRead) { session in
            try await session.sql.listPage(
                in: "users", columns: UserRow.columns,
                where: UserQuerySQL.conditions(query, applicationId: applicationId),
                ordering: UserQuerySQL.ordering(query), query: page, decode: UserRow.decode)
        }
    }

    public func userCredentials(applicationId: Int, login: String?, email: String?) async throws
        -> (user: ChatUser, passwordHash: String)?
    {
        guard let (field, value) = login.map({ ("login", $0) }) ?? email.map({ ("email", $0) }) else { return nil }
        return try await sessions.withSession { session in
            try await session.sql.select().columns(UserRow.columns + ["password_hash"]).from("users")
                .where("application_id", .equal, applicationId)
                .where(SQLColumn(field), .equal, SQLBind(value))
                .firstRow(UserRow.decodeWithPasswordHash)
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
