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

    public mutating func add(_ parameter: String, _ message: String) {
        if let index = entries.firstIndex(where: { $0.parameter == parameter }) {
            if !entries[index].messages.contains(message) { entries[index].messages.append(message) }
        } else {
            entries.append(Entry(parameter: parameter, messages: [message]))
        }
    }

    public func messages(for parameter: String) -> [String] {
        entries.first { $0.parameter == parameter }?.messages ?? []
    }

    public var description: String {
        entries.map { "\($0.parameter): \($0.messages.joined(separator: "; "))" }.joined(separator: ", ")
    }
}
