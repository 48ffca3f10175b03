/// A chat application: the unit that owns users, dialogs and messages, and that an
/// administration key gives access to.
public struct ChatApplication: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var authKey: String
    public var createdAt: Int64

    public init(id: Int, name: String, authKey: String, createdAt: Int64) {
        self.id = id
        self.name = name
        self.authKey = authKey
        self.createdAt = createdAt
    }
}
