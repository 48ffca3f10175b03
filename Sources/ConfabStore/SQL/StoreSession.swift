import SQLKit

/// One connection for the length of a closure: SQLKit for queries, and the database's fastest
/// way to write many rows.
struct StoreSession: Sendable {
    let sql: any SQLDatabase
    /// Writes `rows` (values in `columns` order) into `table` with as few statements as the
    /// database allows. Table and column names are Confab's own constants, never input.
    let insertRows: @Sendable (_ table: String, _ columns: [String], _ rows: [[StoredValue]]) async throws -> Void
}
