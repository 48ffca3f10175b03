import ArgumentParser
import ConfabAdminClient
import ConfabCore
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every dialog or message of an application to a file, from Confab or ConnectyCube.",
        discussion: """
            Streams GET /admin/chat/export or /admin/chat/messages/export where the server has them \
            (Confab: one snapshot), else pages through GET /admin/chat/list or /admin/chat/messages/list \
            by _id, newest first (ConnectyCube), writing what arrives as it arrives. Exit status: 0 done, 1 failed (server unavailable, \
            output not writable), 2 filters refused by the server, 3 key refused, 4 not a \
            ConnectyCube-compatible API, 5 count mismatch, 6 cannot resume, 64 bad arguments.
            """
    )

    @Argument(help: "dialogs or messages.") var list: ListArgument
    @Option(help: "The API's address, e.g. http://127.0.0.1:8080 or https://api.connectycube.com.") var url: String
    /// Taken whatever it starts with: generated keys may start with `-`.
    @Option(parsing: .unconditional, help: "The administration API key (default: $CONFAB_ADMIN_KEY).")
    var key: String?
    @Option(help: "Messages of this dialog only.") var chatDialogId: String?
    @Option(help: "Rows created after this time: unix seconds, 2024-05-01 or 2024-05-01T12:00:00Z.")
    var createdAfter: String?
    @Option(help: "Rows created before this time.") var createdBefore: String?
    @Option(help: "Rows updated after this time.") var updatedAfter: String?
    @Option(help: "Rows updated before this time.") var updatedBefore: String?
    @Option(help: "ndjson, json or csv.") var format: FormatArgument = .ndjson
    @Option(name: [.short, .long], help: "A file, or - for standard output.") var output = "-"
    @Flag(help: "Continue the unfinished export into --output from its last whole page.") var resume = false
    @Flag(help: "Ask for the stream gzip-compressed: for slow links; it costs CPU on both sides.") var gzip = false

    enum ListArgument: String, ExpressibleByArgument, CaseIterable {
        case dialogs
        case messages
    }

    enum FormatArgument: String, ExpressibleByArgument, CaseIterable {
        case ndjson
        case json
        case csv
    }

    func validate() throws {
        _ = try filters()
        if resume && output == "-" { throw ValidationError("--resume needs --output FILE") }
        if apiKey == nil { throw ValidationError("give --key or set CONFAB_ADMIN_KEY") }
        guard let scheme = URL(string: url)?.scheme, scheme == "http" || scheme == "https" else {
            throw ValidationError("--url must be an http:// or https:// address")
        }
    }

    private var apiKey: String? { key ?? ProcessInfo.processInfo.environment["CONFAB_ADMIN_KEY"] }

    func run() async throws {
        let collection: ChatCollection = list == .dialogs ? .dialogs : .messages
        var client = AdminClient(baseURL: url, apiKey: apiKey ?? "")
        client.compressesExports = gzip
        let destination = output == "-" ? nil : output
        let options = ListExporter.Options(
            list: collection, query: AdminListQuery(try filters()), format: ExportFormat(rawValue: format.rawValue)!,
            output: destination, resume: resume)
        let bar = ProgressBar()
        do {
            let done = try await ListExporter(client: client).run(options) { bar.show($0.line) }
            bar.show(done.line, final: true)
            bar.end()
            Self.printError(done.summary(destination: destination ?? "standard output"))
        } catch {
            bar.end()
            let status = ExportExitStatus(error)
            guard let status else { throw error }
            let hint = status == .cannotResume ? " (run without --resume to start again)" : ""
            Self.printError("confab export: \(error)\(hint)")
            throw ExitCode(status.rawValue)
        }
    }

    private func filters() throws -> [AdminFilter] {
        var filters = [AdminFilter]()
        if let chatDialogId {
            guard list == .messages else { throw ValidationError("--chat-dialog-id filters messages only") }
            guard let id = ObjectId(hex: chatDialogId) else {
                throw ValidationError("--chat-dialog-id must be an ObjectId: 24 hexadecimal characters")
            }
            filters.append(.chatDialog(id))
        }
        if let createdAfter { filters.append(.createdAt(.greaterThan(try time(createdAfter, "--created-after")))) }
        if let createdBefore { filters.append(.createdAt(.lessThan(try time(createdBefore, "--created-before")))) }
        if let updatedAfter { filters.append(.updatedAt(.greaterThan(try time(updatedAfter, "--updated-after")))) }
        if let updatedBefore { filters.append(.updatedAt(.lessThan(try time(updatedBefore, "--updated-before")))) }
        return filters
    }

    private func time(_ text: String, _ option: String) throws -> Date {
        guard let seconds = Int64(text) ?? UTCTimestamp.seconds(iso8601: text) else {
            throw ValidationError(
                "\(option) must be unix seconds or a UTC time such as 2024-05-01 or 2024-05-01T12:00:00Z")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The exit status of a failed export, by cause; `nil` for failures reported as they are.
enum ExportExitStatus: Int32 {
    case failed = 1
    case queryRefused = 2
    case keyRefused = 3
    case incompatibleServer = 4
    case countMismatch = 5
    case cannotResume = 6

    init?(_ error: any Error) {
        switch error {
        case let error as AdminClientError:
            switch error.code {
            case .invalidQuery: self = .queryRefused
            case .unauthorized: self = .keyRefused
            case .incompatibleServer: self = .incompatibleServer
            default: self = .failed
            }
        case let error as ExportError:
            switch error.code {
            case .countMismatch: self = .countMismatch
            case .cannotResume: self = .cannotResume
            default: self = .failed
            }
        default: return nil
        }
    }
}
