import ConfabCore
import Foundation
import Logging
import Synchronization

/// One JSON object a line on standard error, for log collectors:
/// `{"timestamp":…,"level":…,"label":…,"message":…,"source":…, …metadata}`, metadata members
/// after the fixed ones (a nested value as JSON).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable ([UInt8]) -> Void

    /// Writes to standard error.
    public init(label: String) {
        self.init(label: label, output: JSONLogHandler.standardError)
    }

    /// Writes each line to `output` (the tests keep them).
    public init(label: String, output: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.member("timestamp", Self.timestamp())
        json.member("level", event.level.rawValue)
        json.member("label", label)
        json.member("message", event.message.description)
        json.member("source", event.source)
        for key in merged.keys.sorted() where !Self.fixedKeys.contains(key) {
            json.key(key)
            Self.write(merged[key]!, to: &json)
        }
        json.endObject()
        json.lineBreak()
        output(json.bytes)
    }

    private static let fixedKeys: Set<String> = ["timestamp", "level", "label", "message", "source"]

    private static func write(_ value: Logger.Metadata.Value, to json: inout JSONWriter) {
        switch value {
        case .string(let text): json.string(text)
        case .stringConvertible(let value): json.string(value.description)
        case .array(let values):
            json.beginArray()
            for value in values { write(value, to: &json) }
            json.endArray()
        case .dictionary(let members):
            json.beginObject()
            for key in members.keys.sorted() {
                json.key(key)
                write(members[key]!, to: &json)
            }
            json.endObject()
        }
    }

    /// RFC 3339 in UTC, to the millisecond.
    private static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        let seconds = Int64(now.rounded(.down))
        let milliseconds = Int((now - Double(seconds)) * 1_000)
        var text = UTCTimestamp.iso8601(seconds)
        if text.hasSuffix("Z") { text.removeLast() }
        return text + "." + String(format: "%03d", milliseconds) + "Z"
    }

    private static let lock = Mutex(())

    /// Whole lines only, even from several threads at once.
    private static let standardError: @Sendable ([UInt8]) -> Void = { bytes in
        lock.withLock { _ in FileHandle.standardError.write(Data(bytes)) }
    }
}
