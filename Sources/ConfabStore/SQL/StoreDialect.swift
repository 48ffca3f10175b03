import SQLKit

/// What differs between the databases behind `SQLChatStore`: the schema, how transactions begin,
/// how large a multi-row insert may be, how a unique-key violation looks, and how JSON is kept.
struct StoreDialect: Sendable {
    let migrations: [SchemaMigration]
    /// Begins a transaction that reads one consistent snapshot.
    let beginRead: String
    /// Run on an export's connection before its walk and after it (`exportPragmas.before`,
    /// `.after`): SQLite's page cache belongs to the connection, and a walk over every row would
    /// fill it with pages that are read once.
    let exportPragmas: (before: [String], after: [String])
    /// Begins a transaction that will write.
    let beginWrite: String
    /// The statement that, run first in a write transaction, makes the application's chat writes
    /// wait for each other, so that a check and the write it allows see the same data; `nil`
    /// where `beginWrite` serializes all writes already (SQLite's `BEGIN IMMEDIATE`).
    let serializeWrites: (@Sendable (_ applicationId: Int) -> SQLQueryString)?
    /// Moves the generator of application ids past every stored id, after an application was
    /// stored under an id of its own (`adoptApplication`); `nil` where the database does that
    /// itself (SQLite's AUTOINCREMENT takes the largest id so far).
    let advanceApplicationIds: String?
    /// Rows per INSERT statement, kept under the database's limit of bound parameters.
    let rowsPerInsert: Int
    let isUniqueViolation: @Sendable (any Error) -> Bool
    /// A condition: the JSON array of integers in `column` contains `value`.
    let jsonArrayContains: @Sendable (_ column: String, _ value: Int) -> any SQLExpression
    /// The text member `key` of the JSON object in a text column, `NULL` when absent. `key` is
    /// bound, never spliced (a dialog extension name: letters, digits and `_`).
    let jsonTextMember: @Sendable (_ column: String, _ key: String) -> any SQLExpression
    /// A column value as a bound parameter, cast where the column's type needs it.
    let bind: @Sendable (StoredValue) -> any SQLExpression
    /// A text column as filters compare it: by its UTF-8 bytes, whatever the database's collation.
    let bytewiseText: @Sendable (_ column: String) -> any SQLExpression
    /// A condition: `text` contains `part`, case-sensitively.
    let textContains: @Sendable (_ text: any SQLExpression, _ part: any SQLExpression) -> any SQLExpression
    /// The attachments of a message as a row source of a subquery, and the `type` of one of
    /// them (rows whose `type` is not a string are left out).
    let attachmentTypes: JSONArrayKeySource
}

/// Fixed SQL text (never a value) that lists one key of the objects of a JSON array column:
/// `SELECT 1 FROM \(source) WHERE \(isString) AND \(key) = ?`.
struct JSONArrayKeySource: Sendable {
    let source: String
    let isString: String
    let key: String
}
