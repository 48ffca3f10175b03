import ConfabCore

/// Who asks for a change to a dialog: one of its application's users, or the administration key,
/// which acts with the owner's rights on every dialog.
public enum DialogActor: Sendable {
    case user(Int)
    case administrationKey

    var userId: Int? {
        if case .user(let id) = self { id } else { nil }
    }

    func mayRead(_ dialog: Dialog) -> Bool {
        userId.map(dialog.mayRead) ?? true
    }

    func owns(_ dialog: Dialog) -> Bool {
        userId.map { $0 == dialog.userId } ?? true
    }

    func administers(_ dialog: Dialog) -> Bool {
        userId.map(dialog.isAdministrator) ?? true
    }

    func isOccupant(_ dialog: Dialog) -> Bool {
        userId.map(dialog.occupantsIds.contains) ?? true
    }
}
