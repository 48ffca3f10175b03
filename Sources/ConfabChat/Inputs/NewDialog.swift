import ConfabCore

/// A dialog to create (`POST /chat/Dialog`, `POST /admin/chat`).
public struct NewDialog: Sendable {
    public var type: DialogType
    public var name: String?
    public var photo: String?
    public var description: String?
    public var occupantsIds: [Int]
    public var adminsIds: [Int]
    /// Extension fields; empty values are left out.
    public var extensions: [String: String]
    public var allowsPreview: Bool

    public init(
        type: DialogType, name: String? = nil, photo: String? = nil, description: String? = nil,
        occupantsIds: [Int] = [], adminsIds: [Int] = [], extensions: [String: String] = [:],
        allowsPreview: Bool = false
    ) {
        self.type = type
        self.name = name
        self.photo = photo
        self.description = description
        self.occupantsIds = occupantsIds
        self.adminsIds = adminsIds
        self.extensions = extensions
        self.allowsPreview = allowsPreview
    }
}

/// `name`, `photo`, `description`, `extensions` and `permissions`, as a dialog is created or
/// updated with them.
public struct DialogFields: Sendable {
    public var name: String?
    public var photo: String?
    public var description: String?
    /// Extension fields to set; an empty value removes the field (`null` in JSON).
    public var extensions: [String: String]
    /// `permissions.allow_preview`.
    public var allowsPreview: Bool?

    public init(
        name: String? = nil, photo: String? = nil, description: String? = nil, extensions: [String: String] = [:],
        allowsPreview: Bool? = nil
    ) {
        self.name = name
        self.photo = photo
        self.description = description
        self.extensions = extensions
        self.allowsPreview = allowsPreview
    }

    public var isEmpty: Bool {
        name == nil && photo == nil && description == nil && extensions.isEmpty && allowsPreview == nil
    }
}
