import ConfabCore
import Foundation
import SQLKit

/// Counted trees made from the rows alone: for data written before the trees existed.
extension ListCounter {
    /// `rebuild` for every application: the migration that creates `list_counts` fills it so.
    @Sendable static func rebuildAll(on database: any SQLDatabase) async throws {
        let rows = try await database.raw("SELECT id FROM applications ORDER BY id").all()
        for row in rows {
            try await ListCounter().rebuild(applicationId: try row.decode(column: "id", as: Int.self), on: database)
        }
    }

    /// Replaces every tree of the application with one counted from its rows: for data written
    /// before the trees existed.
    func rebuild(applicationId: Int, on database: any SQLDatabase) async throws {
        try await database.raw("DELETE FROM list_counts WHERE application_id = \(bind: applicationId)").run()
        for collection in [ChatCollection.dialogs, .messages] {
            for field in CountScope.fields {
                let scope = CountScope(collection: collection, field: field)
                let keys = try await sortedKeys(scope, applicationId: applicationId, from: nil, to: nil, on: database)
                try await store(
                    tree.buckets(sortedKeys: keys[...]), scope: scope, applicationId: applicationId, on: database)
            }
        }
        let dialogRows = try await database.raw(
            "SELECT DISTINCT chat_dialog_id FROM messages WHERE application_id = \(bind: applicationId)"
        ).all()
        for row in dialogRows {
            let dialogId = try objectId(
                try row.decode(column: "chat_dialog_id", as: Data.self), column: "chat_dialog_id")
            for field in CountScope.fields {
                let scope = CountScope(collection: .messages, field: field, dialogId: dialogId)
                let keys = try await sortedKeys(scope, applicationId: applicationId, from: nil, to: nil, on: database)
                try await store(
                    tree.buckets(sortedKeys: keys[...]), scope: scope, applicationId: applicationId, on: database)
            }
        }
    }
}
