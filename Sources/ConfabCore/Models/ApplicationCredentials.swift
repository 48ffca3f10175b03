/// The secrets of a new application, in clear: shown to the operator once, when the application
/// is created. The store keeps only a SHA-256 hash of the administration key.
public struct ApplicationCredentials: Sendable, Equatable {
    public var authKey: String
    public var authSecret: String
    public var adminAPIKey: String

    public init(authKey: String, authSecret: String, adminAPIKey: String) {
        self.authKey = authKey
        self.authSecret = authSecret
        self.adminAPIKey = adminAPIKey
    }

    /// Fresh random credentials from the system's cryptographic generator.
    public static func random() -> ApplicationCredentials {
        var generator = SystemRandomNumberGenerator()
        return ApplicationCredentials(
            authKey: randomToken(bytes: 12, using: &generator),
            authSecret: randomToken(bytes: 24, using: &generator),
            adminAPIKey: randomToken(bytes: 32, using: &generator)
        )
    }

    /// A new administration key: 32 random bytes from the system's cryptographic generator.
    public static func randomAdminAPIKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return randomToken(bytes: 32, using: &generator)
    }

    /// URL-safe token of `bytes` random bytes (base64url without padding).
    private static func randomToken(bytes count: Int, using generator: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var output = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(alphabet[Int((buffer >> UInt32(bits)) & 0x3F)])
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(6 - bits)) & 0x3F)]) }
        return String(decoding: output, as: UTF8.self)
    }
}
