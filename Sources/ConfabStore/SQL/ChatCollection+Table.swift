import ConfabCore

extension ChatCollection {
    /// The table that holds the collection's rows.
    var table: String { self == .dialogs ? "dialogs" : "messages" }
}
