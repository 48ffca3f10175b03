/// A conversation, with every field the admin list shows.
public struct Dialog: Sendable, Equatable {
    public var id: ObjectId
    /// The owner (creator).
    public var userId: Int
    public var type: DialogType
    public var name: String?
    public var description: String?
    public var photo: String?
    public var occupantsIds: [Int]
    public var occupantsCount: Int?
    public var xmppRoomJid: String?
    public var isE2ee: Bool
    public var adminsIds: [Int]
    public var pinnedMessagesIds: [ObjectId]
    public var lastMessage: LastMessage?
    /// Users who deleted the dialog for themselves.
    public var deletedIds: [Int]
    /// Users who muted the dialog.
    public var silentIds: [Int]
    /// Users who joined a public or broadcast dialog (`occupants_ids` stays empty there);
    /// `occupants_count` counts them. Not shown by the admin list.
    public var subscribersIds: [Int]
    /// ConnectyCube's dialog extensions: up to `Dialog.maximumExtensions` named text fields that
    /// `GET /chat/Dialog` filters by (`extensions[name]=`). Shown only when there are some.
    public var extensions: [String: String]
    /// `permissions.allow_preview`: users who are not members may read the newest messages
    /// (`GET /chat/Message?preview=1`). Shown only when set.
    public var allowsPreview: Bool
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds; moves on every change, a new message included.
    public var updatedAt: Int64

    public init(
        id: ObjectId, userId: Int, type: DialogType, name: String? = nil, description: String? = nil,
        photo: String? = nil, occupantsIds: [Int], occupantsCount: Int? = nil, xmppRoomJid: String? = nil,
        isE2ee: Bool = false, adminsIds: [Int] = [], pinnedMessagesIds: [ObjectId] = [],
        lastMessage: LastMessage? = nil, deletedIds: [Int] = [], silentIds: [Int] = [],
        subscribersIds: [Int] = [], extensions: [String: String] = [:], allowsPreview: Bool = false,
        createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.userId = userId
        self.type = type
        self.name = name
        self.description = description
        self.photo = photo
        self.occupantsIds = occupantsIds
        self.occupantsCount = occupantsCount
        self.xmppRoomJid = xmppRoomJid
        self.isE2ee = isE2ee
        self.adminsIds = adminsIds
        self.pinnedMessagesIds = pinnedMessagesIds
        self.lastMessage = lastMessage
        self.deletedIds = deletedIds
        self.silentIds = silentIds
        self.subscribersIds = subscribersIds
        self.extensions = extensions
        self.allowsPreview = allowsPreview
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// ConnectyCube's limit of extension fields per dialog.
    public static let maximumExtensions = 3

    /// Whether `name` may name an extension field: 1 to 64 ASCII letters, digits and `_`, so that
    /// it is safe in a JSON path and a form key alike.
    public static func isExtensionName(_ name: some StringProtocol) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") }
    }

    /// `{application_id}_{dialog_id}@muc.{host}`.
    public static func roomJid(applicationId: Int, dialogId: ObjectId, host: String) -> String {
        "\(applicationId)_\(dialogId.hex)@muc.\(host)"
    }
}

/// The `last_message*` fields of a dialog: a summary of its newest remaining message.
public struct LastMessage: Sendable, Equatable {
    public var id: ObjectId
    public var text: String?
    public var dateSent: Int64
    public var userId: Int
    public var status: MessageStatus

    public init(id: ObjectId, text: String?, dateSent: Int64, userId: Int, status: MessageStatus) {
        self.id = id
        self.text = text
        self.dateSent = dateSent
        self.userId = userId
        self.status = status
    }
}
