import ConfabCore

/// A search of an application's users (`GET /users/v2`, `GET /users?filter[]=…`): conditions
/// that all hold, a sort with `id` as the tie-break, and a page.
public struct UserQuery: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case id, login, email, phone
        case fullName = "full_name"
        case externalUserId = "external_user_id"
        case facebookId = "facebook_id"
        case twitterId = "twitter_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"

        /// Compared as numbers; the rest as text.
        public var isNumeric: Bool {
            switch self {
            case .id, .externalUserId, .createdAt, .updatedAt: true
            default: false
            }
        }
    }

    public enum Value: Sendable, Equatable {
        case integer(Int64)
        case text(String)
    }

    public enum Condition: Sendable, Equatable {
        case oneOf(Field, [Value])
        case noneOf(Field, [Value])
        case startsWith(Field, String)
        case compare(Field, ComparisonOperator, Value)
    }

    public var conditions: [Condition] = []
    public var sort: Field = .id
    public var ascending = true
    public var skip = 0
    public var limit = 100

    public init() {}
}
