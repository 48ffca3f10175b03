import ConfabChat
import ConfabCore
import ConfabRequests

/// `extensions` and `permissions` of `POST`/`PUT /chat/Dialog`, as ConnectyCube's SDKs send them:
/// `{"extensions":{"location":"Sun bar"},"permissions":{"allow_preview":true}}`, or the same as
/// form keys (`extensions[location]=Sun%20bar`).
extension DialogFields {
    /// Up to `Dialog.maximumExtensions` names, each value cast to text as ConnectyCube keeps it
    /// (a number or a flag as its JSON text); `null` or empty removes the field.
    static func readExtensions(from reader: inout ParameterReader) -> [String: String] {
        guard var inner = reader.object("extensions") else { return [:] }
        defer { reader.merge(inner) }
        guard inner.object.members.count <= Dialog.maximumExtensions else {
            reader.fail("extensions", "holds at most \(Dialog.maximumExtensions) fields")
            return [:]
        }
        var extensions = [String: String]()
        for member in inner.object.members {
            guard Dialog.isExtensionName(member.key) else {
                inner.fail(member.key, "extension names are 1 to 64 letters, digits or _")
                continue
            }
            let text: String
            switch member.value {
            case .null: text = ""
            case .string(let string): text = string
            case .integer, .number, .bool: text = member.value.jsonText
            case .array, .object:
                inner.fail(member.key, "must be text, a number or a flag")
                continue
            }
            if text.utf8.count > ChatLimits.extensionValueBytes {
                inner.fail(member.key, "must be at most \(ChatLimits.extensionValueBytes) bytes of UTF-8 text")
            } else if text.utf8.contains(0) {
                inner.fail(member.key, "must not contain NUL characters")
            } else {
                extensions[member.key] = text
            }
        }
        return extensions
    }

    /// `permissions[allow_preview]`: the one permission ConnectyCube has.
    static func readPermissions(from reader: inout ParameterReader) -> Bool? {
        guard var inner = reader.object("permissions") else { return nil }
        let allowsPreview = inner.flag("allow_preview")
        rejectUnknown(in: &inner, allowed: ["allow_preview"])
        reader.merge(inner)
        return allowsPreview
    }
}
