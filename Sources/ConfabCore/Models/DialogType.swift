/// ConnectyCube's four kinds of dialog, by their wire number.
public enum DialogType: Int, Sendable, CaseIterable {
    /// Every user of the application may join; created only with the administration key.
    case broadcast = 1
    /// Named group with an explicit occupant list.
    case group = 2
    /// Exactly two occupants, no room JID.
    case privateChat = 3
    /// Users subscribe; `occupants_ids` stays empty and `occupants_count` counts subscribers.
    case publicGroup = 4

    /// Whether the dialog gets an XMPP room JID.
    public var hasRoom: Bool { self != .privateChat }
}
