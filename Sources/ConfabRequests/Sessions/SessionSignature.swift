import ConfabCore
import Crypto

/// The signature of `POST /session`: every parameter but `signature` (nested user fields written
/// as `user[login]`), sorted by name, joined as `name=value` with `&`, then HMAC-SHA1 keyed with
/// the application's `auth_secret`, as lowercase hex.
public enum SessionSignature {
    /// The text that is signed, from the request's parameters as `NestedParameters` gives them.
    public static func message(_ parameters: JSONObject) -> String {
        var pairs = [(String, String)]()
        for member in parameters.members where member.key != "signature" {
            switch member.value {
            case .object(let inner):
                for field in inner.members {
                    if let text = text(field.value) { pairs.append(("\(member.key)[\(field.key)]", text)) }
                }
            default:
                if let text = text(member.value) { pairs.append((member.key, text)) }
            }
        }
        pairs.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// HMAC-SHA1 of `message` keyed with `secret`, as 40 lowercase hex characters.
    public static func sign(_ message: String, secret: String) -> String {
        let code = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(message.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return HexDigit.lowercase(code)
    }

    /// Whether `signature` is the one of `parameters`, compared in constant time.
    public static func isValid(_ signature: String, for parameters: JSONObject, secret: String) -> Bool {
        ConstantTime.equal(sign(message(parameters), secret: secret).utf8, signature.lowercased().utf8)
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let string): string
        case .integer(let integer): String(integer)
        case .bool(let flag): String(flag)
        case .number(let number): String(number)
        default: nil
        }
    }
}
