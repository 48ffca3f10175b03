import SQLKit

/// What differs between the databases behind `SQLChatStore`: the schema, how transactions begin,
/// how large a multi-row insert may be, and how a unique-key violation looks.
struct StoreDialect: Sendable {
    let migrations: [SchemaMigration]
    /// Begins a transaction that reads one consistent snapshot.
    let beginRead: String
    /// Begins a transaction that will write.
    let beginWrite: String
    /// Rows per INSERT statement, kept under the database's limit of bound parameters.
    let rowsPerInsert: Int
    let isUniqueViolation: @Sendable (any Error) -> Bool
    /// A condition: the JSON array of integers in `column` contains `value`.
    let jsonArrayContains: @Sendable (_ column: String, _ value: Int) -> any SQLExpression
}
