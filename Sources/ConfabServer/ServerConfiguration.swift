import Foundation
import Logging

/// Everything `buildApplication` needs to know; the CLI fills it from flags and environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// Largest request body accepted, in bytes.
    public var maximumBodySize: Int
    /// The host in generated room JIDs: `{application_id}_{dialog_id}@muc.{chatHost}`.
    public var chatHost: String
    /// bcrypt's cost for new password hashes: 2^cost rounds. Tests lower it to be quick.
    public var passwordHashCost: UInt8
    /// The time in unix seconds; tests set their own to step over token expiry without sleeping.
    public var clock: @Sendable () -> Int64

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        logLevel: Logger.Level = .info,
        maximumBodySize: Int = 1 << 20,
        chatHost: String = "chat.confab.local",
        passwordHashCost: UInt8 = 10,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.maximumBodySize = maximumBodySize
        self.chatHost = chatHost
        self.passwordHashCost = passwordHashCost
        self.clock = clock
    }
}
