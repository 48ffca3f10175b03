import ConfabCore
import SQLKit

/// How a `ChatUser` maps to a row of `users`.
enum UserRow {
    static let columns = [
        "id", "application_id", "login", "email", "full_name", "phone", "custom_data", "created_at", "updated_at",
    ]

    static func decode(_ row: any SQLRow) throws -> ChatUser {
        ChatUser(
            id: try row.decode(column: "id", as: Int.self),
            applicationId: try row.decode(column: "application_id", as: Int.self),
            login: try row.decode(column: "login", as: String?.self),
            email: try row.decode(column: "email", as: String?.self),
            fullName: try row.decode(column: "full_name", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self),
            customData: try row.decode(column: "custom_data", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self)
        )
    }
}
