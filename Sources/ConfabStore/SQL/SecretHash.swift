import ConfabCore
import Crypto

/// The only form in which administration keys and session tokens are stored: their SHA-256
/// digest. Both are long random strings, so a fast hash suffices; passwords use bcrypt instead.
struct SecretHash: Equatable {
    let bytes: [UInt8]

    init(secret: String) {
        bytes = Array(SHA256.hash(data: Array(secret.utf8)))
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Compares in time that depends only on the length, not on where the bytes differ.
    func matches(_ other: SecretHash) -> Bool {
        ConstantTime.equal(bytes, other.bytes)
    }
}
