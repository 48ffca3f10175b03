import ConfabCore

/// A change to a dialog (`PUT /chat/Dialog/{id}`): new fields, and occupants and pinned
/// messages added (`push_all`) or removed (`pull_all`).
public struct DialogChanges: Sendable {
    public var fields: DialogFields
    public var pushOccupants: [Int]
    public var pullOccupants: [Int]
    public var pushPinned: [ObjectId]
    public var pullPinned: [ObjectId]
    /// The administration key only (`PUT /admin/chat/{id}`): mutes or unmutes one member.
    public var mute: (userId: Int, muted: Bool)?

    public init(
        fields: DialogFields = DialogFields(), pushOccupants: [Int] = [], pullOccupants: [Int] = [],
        pushPinned: [ObjectId] = [], pullPinned: [ObjectId] = [], mute: (userId: Int, muted: Bool)? = nil
    ) {
        self.fields = fields
        self.pushOccupants = pushOccupants
        self.pullOccupants = pullOccupants
        self.pushPinned = pushPinned
        self.pullPinned = pullPinned
        self.mute = mute
    }
}

/// Admins added and removed (`PUT /chat/Dialog/{id}/admins`).
public struct AdminChanges: Sendable {
    public var push: [Int]
    public var pull: [Int]

    public init(push: [Int] = [], pull: [Int] = []) {
        self.push = push
        self.pull = pull
    }
}
