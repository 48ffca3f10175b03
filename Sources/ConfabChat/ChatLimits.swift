/// The sizes the chat accepts, in UTF-8 bytes unless said otherwise (documented in the README).
/// Past a limit the request is a 422 naming the parameter. `UserLimits` is in ConfabRequests.
public enum ChatLimits {
    /// Message text: 64 KiB.
    public static let messageBytes = 65_536
    public static let dialogNameBytes = 255
    public static let descriptionBytes = 1_024
    public static let photoBytes = 2_048
    public static let attachmentsPerMessage = 32
    public static let reactionBytes = 64
    /// One value of a dialog extension field (`Dialog.maximumExtensions` of them per dialog).
    public static let extensionValueBytes = 1_024
    /// Ids in one `DELETE` or `PUT` path, or in one list parameter.
    public static let idsPerRequest = 100
    /// Occupants, subscribers' admins aside, that one request may add.
    public static let occupantsPerRequest = 1_000
    /// Admins of a dialog, the owner not counted.
    public static let adminsPerDialog = 5
}
