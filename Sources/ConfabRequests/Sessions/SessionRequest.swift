import ConfabCore
import Crypto

/// The sizes of a user's fields, in UTF-8 bytes (documented in the README).
public enum UserLimits {
    public static let loginBytes = 3...64
    /// bcrypt reads at most 72 bytes of a password; longer ones would be cut silently.
    public static let passwordBytes = 8...72
    public static let emailBytes = 254
    public static let fullNameBytes = 255
    public static let phoneBytes = 32
    public static let customDataBytes = 65_536
    public static let websiteBytes = 2_048
    public static let avatarBytes = 2_048
    /// `facebook_id`, `twitter_id`.
    public static let socialIdBytes = 64
    /// ConnectyCube's limit of tags per user.
    public static let tagsPerUser = 5
    public static let tagBytes = 64
    /// Minutes from UTC, UTC−12 to UTC+14.
    public static let timezoneMinutes: ClosedRange<Int64> = -720...840
}

/// `login` (or `email`) and `password`, as `POST /session` nests them in `user` and `POST /login`
/// sends them at the top level.
public struct UserCredentials: Sendable {
    public var login: String?
    public var email: String?
    public var password: String

    public static func read(from reader: inout ParameterReader) -> UserCredentials {
        let login = reader.string("login", maximumBytes: UserLimits.loginBytes.upperBound, allowEmpty: false)
        let email = reader.string("email", maximumBytes: UserLimits.emailBytes, allowEmpty: false)
        let password = reader.string("password", maximumBytes: UserLimits.passwordBytes.upperBound, allowEmpty: false)
        if !reader.contains("login"), !reader.contains("email") { reader.fail("login", "is required (or email)") }
        if !reader.contains("password") { reader.fail("password", "is required") }
        return UserCredentials(login: login, email: email, password: password ?? "")
    }
}

/// The parameters of `POST /session`, read and checked before anything is looked up. The
/// server and the session fuzz target both start here.
public struct SessionRequest: Sendable {
    public var applicationId: Int
    public var authKey: String
    /// The nonce as the store keys it (`SessionRequest.nonceKey`).
    public var nonce: Int64
    public var timestamp: Int64
    public var signature: String
    /// A user's, when the session signs one in.
    public var credentials: UserCredentials?
    /// Everything sent, which the signature covers.
    public let parameters: JSONObject

    public static func read(_ parameters: JSONObject) throws(ParameterErrors) -> SessionRequest {
        var reader = ParameterReader(parameters, unknownParameters: .chatAPI)
        let applicationId = reader.integer("application_id", in: 1...Int64(Int32.max))
        let authKey = reader.string("auth_key", maximumBytes: 256, allowEmpty: false)
        let nonce = reader.string("nonce", maximumBytes: maximumNonceBytes, allowEmpty: false).map(Self.nonceKey)
        let timestamp = reader.integer("timestamp")
        let signature = reader.string("signature", maximumBytes: 256, allowEmpty: false)
        for key in ["application_id", "auth_key", "nonce", "timestamp", "signature"] where !reader.contains(key) {
            reader.fail(key, "is required")
        }
        var credentials: UserCredentials?
        if var user = reader.object("user") {
            credentials = UserCredentials.read(from: &user)
            reader.merge(user)
        }
        try reader.check()
        guard let applicationId, let authKey, let nonce, let timestamp, let signature else {
            throw ParameterErrors(parameter: "base", message: "is incomplete")
        }
        return SessionRequest(
            applicationId: Int(applicationId), authKey: authKey, nonce: nonce, timestamp: timestamp,
            signature: signature, credentials: credentials, parameters: parameters)
    }

    /// ConnectyCube takes any text as a nonce; its SDKs send a random integer.
    public static let maximumNonceBytes = 64

    /// An integer nonce is its own key; any other text is keyed by the first 63 bits of its
    /// SHA-256, as a negative number (the SDKs send positive ones). A repeated (timestamp, nonce)
    /// pair is still refused. Two texts share a key with a chance of 2⁻⁶³, which refuses a
    /// session and never admits a replay.
    public static func nonceKey(_ text: String) -> Int64 {
        if let integer = Int64(text) { return integer }
        let digest = SHA256.hash(data: Array(text.utf8))
        let high = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int64(bitPattern: high >> 1) | Int64.min
    }

    /// Whether `signature` is the HMAC-SHA1 of the other parameters under the application's secret.
    public func isSigned(with secret: String) -> Bool {
        SessionSignature.isValid(signature, for: parameters, secret: secret)
    }
}
