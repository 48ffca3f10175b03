/// The sizes Confab accepts, in UTF-8 bytes unless said otherwise (documented in the README).
/// Past a limit the request is a 422 naming the parameter. `UserLimits` is in ConfabCore.
enum ChatLimits {
    /// Message text: 64 KiB.
    static let messageBytes = 65_536
    static let dialogNameBytes = 255
    static let descriptionBytes = 1_024
    static let photoBytes = 2_048
    static let attachmentsPerMessage = 32
    static let reactionBytes = 64
    /// Ids in one `DELETE` or `PUT` path, or in one list parameter.
    static let idsPerRequest = 100
    /// Occupants, subscribers' admins aside, that one request may add.
    static let occupantsPerRequest = 1_000
    /// Admins of a dialog, the owner not counted.
    static let adminsPerDialog = 5
}
