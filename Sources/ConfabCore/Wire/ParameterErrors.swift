/// Validation failures keyed by the parameter at fault, answered as
/// `{"errors":{"limit":["must be an integer from 1 up"]}}`.
public struct ParameterErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Entry: Sendable, Equatable {
        public var parameter: String
        public var messages: [String]
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public init(parameter: String, message: String) {
        add(parameter, message)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Names are quoted at most 64 bytes long, so an error never echoes a huge input back.
    public mutating func add(_ parameter: String, _ message: String) {
        let parameter = Self.shortened(parameter)
        if let index = entries.firstIndex(where: { $0.parameter == parameter }) {
            if !entries[index].messages.contains(message) { entries[index].messages.append(message) }
        } else {
            entries.append(Entry(parameter: parameter, messages: [message]))
        }
    }

    public func messages(for parameter: String) -> [String] {
        let parameter = Self.shortened(parameter)
        return entries.first { $0.parameter == parameter }?.messages ?? []
    }

    /// What an error may quote of a client's text: at most 64 bytes, cut on a character boundary.
    public static func shortened(_ text: String) -> String {
        guard text.utf8.count > 64 else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: 61)
        while end.samePosition(in: text.unicodeScalars) == nil { end = text.utf8.index(before: end) }
        return String(text[..<end]) + "…"
    }

    public var description: String {
        entries.map { "\($0.parameter): \($0.messages.joined(separator: "; "))" }.joined(separator: ", ")
    }
}
