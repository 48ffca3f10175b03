import HummingbirdBcrypt
import NIOPosix

/// bcrypt for user passwords, off the event loops: a hash takes tens of milliseconds of CPU by
/// design. Passwords pass through here only; they are never stored or logged.
struct PasswordHasher: Sendable {
    let cost: UInt8

    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
