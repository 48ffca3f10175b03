/// Why an export could not finish, apart from the API's own errors (`AdminClientError`).
public struct ExportError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; compare with the static members.
    public struct Code: Sendable, Hashable {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Resuming without an unfinished export of the file, or with other options.
        public static let cannotResume = Code("cannotResume")
        /// The server's `total_entries` and the rows received differ.
        public static let countMismatch = Code("countMismatch")
        /// The output could not be written.
        public static let output = Code("output")
    }

    public let code: Code
    public let description: String

    static func nothingToResume(_ output: String) -> ExportError {
        ExportError(
            code: .cannotResume,
            description:
                "nothing to resume: \(output) has no unfinished export (\(ExportState.path(for: output)) is missing); start a new export instead"
        )
    }

    static func otherOptions(_ output: String) -> ExportError {
        ExportError(
            code: .cannotResume,
            description:
                "\(output) was started with another list, URL, filters or format; resume with the same options, or start a new export"
        )
    }

    static func unreadableState(_ path: String) -> ExportError {
        ExportError(code: .cannotResume, description: "\(path) is not an export state file Confab can read")
    }

    static func countMismatch(expected: Int, received: Int, list: String) -> ExportError {
        ExportError(
            code: .countMismatch,
            description:
                "count mismatch: the server reported \(expected) \(list), \(received) arrived (rows changed during the export?); the file holds what arrived"
        )
    }

    static func output(_ path: String, _ reason: String) -> ExportError {
        ExportError(code: .output, description: "cannot write \(path): \(reason)")
    }
}
