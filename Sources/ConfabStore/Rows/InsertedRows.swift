/// How many dialogs and messages a bulk load wrote.
public struct InsertedRows: Sendable, Equatable {
    public var dialogs: Int
    public var messages: Int

    public init(dialogs: Int, messages: Int) {
        self.dialogs = dialogs
        self.messages = messages
    }
}
