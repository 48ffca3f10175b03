import ConfabCore

/// A dialog to create (`POST /chat/Dialog`, `POST /admin/chat`).
public struct NewDialog: Sendable {
    public var type: DialogType
    public var name: String?
    public var photo: String?
    public var description: String?
    public var occupantsIds: [Int]
    public var adminsIds: [Int]

    public init(
        type: DialogType, name: String? = nil, photo: String? = nil, description: String? = nil,
        occupantsIds: [Int] = [], adminsIds: [Int] = []
    ) {
        self.type = type
        self.name = name
        self.photo = photo
        self.description = description
        self.occupantsIds = occupantsIds
        self.adminsIds = adminsIds
    }
}

/// `name`, `photo` and `description`, as a dialog is created or updated with them.
public struct DialogFields: Sendable {
    public var name: String?
    public var photo: String?
    public var description: String?

    public init(name: String? = nil, photo: String? = nil, description: String? = nil) {
        self.name = name
        self.photo = photo
        self.description = description
    }

    public var isEmpty: Bool { name == nil && photo == nil && description == nil }
}
