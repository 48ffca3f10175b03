import ConfabCore
import Foundation
import SQLKit

extension SQLChatStore {
    public func read<Result: Sendable>(
        applicationId: Int,
        _ body: @Sendable (ChatTransaction) async throws -> Result
    ) async throws -> Result {
        try await sessions.withTransaction(begin: dialect.beginRead) { session in
            try await body(ChatTransaction(session: session, dialect: dialect, applicationId: applicationId))
        }
    }

    public func write<Result: Sendable>(
        applicationId: Int,
        _ body: @Sendable (ChatTransaction) async throws -> Result
    ) async throws -> Result {
        try await sessions.withTransaction(begin: dialect.beginWrite) { session in
            try await body(ChatTransaction(session: session, dialect: dialect, applicationId: applicationId))
        }
    }
}
