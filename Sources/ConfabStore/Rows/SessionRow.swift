import ConfabCore
import SQLKit

/// How a `ChatSession` maps to a row of `sessions`.
enum SessionRow {
    static let columns = [
        "id", "application_id", "user_id", "nonce", "timestamp", "created_at", "updated_at", "expires_at",
    ]

    static func decode(_ row: any SQLRow) throws -> ChatSession {
        ChatSession(
            id: try row.decode(column: "id", as: Int.self),
            applicationId: try row.decode(column: "application_id", as: Int.self),
            userId: try row.decode(column: "user_id", as: Int?.self),
            nonce: try row.decode(column: "nonce", as: Int64.self),
            timestamp: try row.decode(column: "timestamp", as: Int64.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self),
            expiresAt: try row.decode(column: "expires_at", as: Int64.self)
        )
    }
}
