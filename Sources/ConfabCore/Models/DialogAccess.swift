/// Who may do what in a dialog (`chat-rest-api.md`): occupants read and write group and private
/// dialogs; any user of the application reads public and broadcast dialogs and writes public
/// ones; only the owner and admins write broadcast dialogs.
extension Dialog {
    /// Occupants, plus the subscribers of a public or broadcast dialog.
    public var memberIds: [Int] {
        occupantsIds + subscribersIds.filter { !occupantsIds.contains($0) }
    }

    public func isMember(_ userId: Int) -> Bool {
        occupantsIds.contains(userId) || subscribersIds.contains(userId)
    }

    /// The owner or one of the admins.
    public func isAdministrator(_ userId: Int) -> Bool {
        userId == self.userId || adminsIds.contains(userId)
    }

    /// Whether the dialog is open to every user of the application.
    public var isOpen: Bool { type == .publicGroup || type == .broadcast }

    public func mayRead(_ userId: Int) -> Bool {
        isOpen || occupantsIds.contains(userId)
    }

    public func mayPost(_ userId: Int) -> Bool {
        switch type {
        case .broadcast: isAdministrator(userId)
        case .publicGroup: true
        case .group, .privateChat: occupantsIds.contains(userId)
        }
    }

    /// `occupants_count` as it follows from the members.
    public var countedOccupants: Int {
        isOpen ? subscribersIds.count : occupantsIds.count
    }
}

extension LastMessage {
    /// The summary of `message` as the last message of `dialog`.
    public init(summarizing message: Message, in dialog: Dialog) {
        self.init(
            id: message.id,
            text: message.text,
            dateSent: message.dateSent,
            userId: message.senderId,
            status: MessageStatus.of(
                senderId: message.senderId, occupantsIds: dialog.memberIds, readIds: message.readIds,
                deliveredIds: message.deliveredIds)
        )
    }
}
