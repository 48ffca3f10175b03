extension JSONObject {
    /// Whether a key or string anywhere within holds U+0000, which `jsonb` refuses.
    public var containsNULCharacter: Bool {
        members.contains { $0.key.utf8.contains(0) || $0.value.containsNULCharacter }
    }
}

extension JSONValue {
    /// Whether a key or string anywhere within holds U+0000.
    public var containsNULCharacter: Bool {
        switch self {
        case .string(let text): text.utf8.contains(0)
        case .array(let elements): elements.contains { $0.containsNULCharacter }
        case .object(let object): object.containsNULCharacter
        default: false
        }
    }
}
