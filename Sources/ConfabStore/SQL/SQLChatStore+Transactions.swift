import ConfabCore
import Foundation
import SQLKit

extension SQLChatStore {
    public func read<Result: Sendable>(
        applicationId: Int,
        _ body: @Sendable (ChatTransaction) async throws -> Result
    ) async throws -> Result {
        try await sessions.withTransaction(begin: dialect.beginRead) { session in
            try await body(
                ChatTransaction(
                    session: session, dialect: dialect, counter: counter, applicationId: applicationId,
                    changeSequence: 0))
        }
    }

    public func write<Result: Sendable>(
        applicationId: Int,
        _ body: @Sendable (ChatTransaction) async throws -> Result
    ) async throws -> Result {
        try await withChatWrite(applicationId) { session, sequence in
            try await body(
                ChatTransaction(
                    session: session, dialect: dialect, counter: counter, applicationId: applicationId,
                    changeSequence: sequence))
        }
    }

    /// A write transaction in which the application's other chat writes wait for this one.
    func withApplicationWrite<Result: Sendable>(
        _ applicationId: Int,
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        let dialect = dialect
        return try await sessions.withWriteTransaction(begin: dialect.beginWrite) { session in
            if let serialize = dialect.serializeWrites {
                try await session.sql.raw(serialize(applicationId)).run()
            }
            return try await body(session)
        }
    }

    /// `withApplicationWrite` for a transaction that writes dialogs or messages, with its
    /// sequence number in the change feed (`ChangeFeed.nextSequence`).
    func withChatWrite<Result: Sendable>(
        _ applicationId: Int,
        _ body: @Sendable (StoreSession, Int64) async throws -> Result
    ) async throws -> Result {
        try await withApplicationWrite(applicationId) { session in
            let sequence = try await ChangeFeed.nextSequence(applicationId: applicationId, on: session.sql)
            return try await body(session, sequence)
        }
    }
}
