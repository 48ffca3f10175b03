import ConfabCore

extension SQLChatStore {
    public func changes(applicationId: Int, from start: ChangeStart, limit: Int) async throws -> ChangePage {
        try await listSessions.withTransaction(begin: dialect.beginRead) { session in
            try await ChangeFeed.page(
                applicationId: applicationId, from: start, limit: max(1, limit), on: session.sql)
        }
    }

    public func purgeChanges(deletedBefore before: Int64) async throws -> Int {
        try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            try await ChangeFeed.purge(deletedBefore: before, on: session.sql)
        }
    }

    public func apply(_ changes: [ChatChange], applicationId: Int, mirrorState: MirrorState? = nil) async throws {
        guard !changes.isEmpty || mirrorState != nil else { return }
        try await write(applicationId: applicationId) { transaction in
            if let mirrorState {
                try await Self.save(mirrorState, applicationId: applicationId, on: transaction.session.sql)
            }
            for change in changes {
                switch change {
                case .dialog(let dialog, _):
                    if try await transaction.dialog(dialog.id) == nil {
                        try await transaction.insert(dialog)
                    } else {
                        try await transaction.update(dialog)
                    }
                case .message(let message, _):
                    if try await transaction.message(message.id) == nil {
                        try await transaction.insert(message)
                    } else {
                        try await transaction.update(message)
                    }
                case .deletedDialog(let id, _, _):
                    try await transaction.deleteDialog(id)
                case .deletedMessage(let id, _, _, _):
                    try await transaction.deleteMessage(id)
                }
            }
        }
    }
}
