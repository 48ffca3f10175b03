import Crypto

/// The only form in which an administration key is stored: its SHA-256 digest.
struct AdminKeyHash: Equatable {
    let bytes: [UInt8]

    init(key: String) {
        bytes = Array(SHA256.hash(data: Array(key.utf8)))
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Compares in time that depends only on the length, not on where the bytes differ.
    func matches(_ other: AdminKeyHash) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for index in bytes.indices { difference |= bytes[index] ^ other.bytes[index] }
        return difference == 0
    }
}
