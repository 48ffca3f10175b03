import Logging

/// Everything `buildApplication` needs to know; the CLI fills it from flags and environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// Largest request body accepted, in bytes.
    public var maximumBodySize: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        logLevel: Logger.Level = .info,
        maximumBodySize: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.maximumBodySize = maximumBodySize
    }
}
