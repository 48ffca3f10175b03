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
        var dialogs: [Dialog] = []
        var messages: [Message] = []
        var deletions: [ChatChange] = []
        for change in changes {
            switch change {
            case .dialog(let dialog, _): dialogs.append(dialog)
            case .message(let message, _): messages.append(message)
            case .deletedDialog, .deletedMessage: deletions.append(change)
            }
        }
        try StorableText.check(dialogs: dialogs, messages: messages)
        let (counter, dialect) = (counter, dialect)
        let (upsertedDialogs, upsertedMessages, deleted) = (dialogs, messages, deletions)
        // A page holds each row once, so its changes commute: rows the copy lacks go in with the
        // bulk insert, the others are written one by one, then the deletions.
        try await withChatWrite(applicationId) { session, sequence in
            if let mirrorState { try await Self.save(mirrorState, applicationId: applicationId, on: session.sql) }
            let newDialogs = try await Self.unknown(
                upsertedDialogs, id: \.id, in: "dialogs", applicationId: applicationId, on: session)
            let newMessages = try await Self.unknown(
                upsertedMessages, id: \.id, in: "messages", applicationId: applicationId, on: session)
            try await Self.insertRows(
                dialogs: newDialogs, messages: newMessages, applicationId: applicationId, sequence: sequence,
                rowsPerInsert: dialect.rowsPerInsert, counter: counter, on: session)
            let transaction = ChatTransaction(
                session: session, dialect: dialect, counter: counter, applicationId: applicationId,
                changeSequence: sequence)
            let inserted = (Set(newDialogs.map(\.id)), Set(newMessages.map(\.id)))
            for dialog in upsertedDialogs where !inserted.0.contains(dialog.id) { try await transaction.update(dialog) }
            for message in upsertedMessages where !inserted.1.contains(message.id) {
                try await transaction.update(message)
            }
            for deletion in deleted {
                switch deletion {
                case .deletedDialog(let id, _, _): try await transaction.deleteDialog(id)
                case .deletedMessage(let id, _, _, _): try await transaction.deleteMessage(id)
                default: break
                }
            }
        }
    }
}
