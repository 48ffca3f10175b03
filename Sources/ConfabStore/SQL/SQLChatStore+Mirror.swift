import ConfabCore
import Foundation
import SQLKit

/// Where `confab mirror` stands in copying one application: its source, whether the first
/// export is done, and the change-feed cursor (or polling position) it resumes from.
public struct MirrorState: Sendable, Equatable {
    public var source: String
    public var cursor: String
    public var exported: Bool

    public init(source: String, cursor: String, exported: Bool) {
        self.source = source
        self.cursor = cursor
        self.exported = exported
    }
}

extension SQLChatStore {
    public func adoptApplication(id: Int, name: String, adminAPIKey: String, createdAt: Int64) async throws
        -> ChatApplication
    {
        let hash = Data(SecretHash(secret: adminAPIKey).bytes)
        // A mirror knows the admin key, not the chat API's keys: these are its own, unguessable.
        let credentials = ApplicationCredentials.random()
        try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            try await session.sql.run(
                """
                INSERT INTO applications (id, name, auth_key, auth_secret, admin_key_hash, created_at)
                VALUES (\(bind: id), \(bind: name), \(bind: credentials.authKey), \(bind: credentials.authSecret), \(bind: hash), \(bind: createdAt))
                ON CONFLICT (id) DO UPDATE SET admin_key_hash = excluded.admin_key_hash
                """ as SQLQueryString)
            if let advance = dialect.advanceApplicationIds { try await session.sql.raw(SQLQueryString(advance)).run() }
            // The key the mirror was given, as a `read` key named `mirror` (a copy takes no
            // admin writes): in place of the one an earlier run adopted.
            try await session.sql.run(
                "DELETE FROM admin_keys WHERE application_id = \(bind: id) AND name = 'mirror'" as SQLQueryString)
            try await session.sql.run(
                "DELETE FROM admin_keys WHERE application_id = \(bind: id) AND key_hash = \(bind: hash)"
                    as SQLQueryString)
            try await Self.insertKey(
                adminAPIKey, applicationId: id, name: "mirror", scope: .read, at: createdAt, on: session.sql)
        }
        guard let application = try await application(id: id) else { throw StoreError.unknownApplication(id) }
        return application
    }

    public func mirrorState(applicationId: Int) async throws -> MirrorState? {
        try await sessions.withSession { session in
            try await session.sql.rows(
                of:
                    "SELECT source, cursor, exported FROM mirror_state WHERE application_id = \(bind: applicationId)"
                    as SQLQueryString
            ) { row in
                var columns = ColumnCursor(row, names: ["source", "cursor", "exported"])
                return MirrorState(
                    source: try columns.text(), cursor: try columns.text(), exported: try columns.int() != 0)
            }.first
        }
    }

    public func saveMirrorState(_ state: MirrorState, applicationId: Int) async throws {
        try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            try await Self.save(state, applicationId: applicationId, on: session.sql)
        }
    }

    static func save(_ state: MirrorState, applicationId: Int, on database: any SQLDatabase) async throws {
        try await database.run(
            """
            INSERT INTO mirror_state (application_id, source, cursor, exported)
            VALUES (\(bind: applicationId), \(bind: state.source), \(bind: state.cursor), \(bind: state.exported ? 1 : 0))
            ON CONFLICT (application_id) DO UPDATE SET source = excluded.source, cursor = excluded.cursor,
                exported = excluded.exported
            """ as SQLQueryString)
    }
}
