import ArgumentParser
import ConfabAdminClient
import ConfabCore
import ConfabData
import ConfabStore
import Foundation

struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Make, and keep, a local copy of an application of a Confab server that confab serve can serve.",
        discussion: """
            One streaming export, then the change feed (GET /admin/chat/changes), each page applied in \
            one transaction with the cursor after it, so that a copy stopped at any point resumes where it \
            was. Against ConnectyCube itself (no feed; give --app) it polls the lists by updated_at, which \
            cannot see deletions. The copy holds the application under the same id and answers to the same admin key (only \
            its hash is kept): confab serve --database DATABASE answers the admin lists as the source does. \
            Without --follow it catches up once and exits 0. Exit status as confab export: 1 failed, \
            3 key refused, 4 not a ConnectyCube-compatible API (or no --app where the server names none), \
            64 bad arguments.
            """
    )

    @Option(help: "The server to copy, e.g. http://127.0.0.1:8080.") var from: String
    /// Taken whatever it starts with: generated keys may start with `-`.
    @Option(parsing: .unconditional, help: "Its administration API key (default: $CONFAB_ADMIN_KEY).")
    var key: String?
    @Option(
        help: ArgumentHelp("The copy: sqlite:PATH or postgres://… (created and migrated if new).", valueName: "url"))
    var into: String
    @Flag(help: "Keep following the change feed until stopped (SIGINT or SIGTERM).") var follow = false
    @Option(help: "The application's id, where the server does not name it.") var app: Int?
    @Option(help: "Seconds to wait, once caught up, before asking again (--follow).") var pollInterval = 1.0

    private var apiKey: String? { key ?? ProcessInfo.processInfo.environment["CONFAB_ADMIN_KEY"] }

    func validate() throws {
        if apiKey == nil { throw ValidationError("give --key or set CONFAB_ADMIN_KEY") }
        guard let scheme = URL(string: from)?.scheme, scheme == "http" || scheme == "https" else {
            throw ValidationError("--from must be an http:// or https:// address")
        }
        guard pollInterval >= 0.05, pollInterval <= 3_600 else {
            throw ValidationError("--poll-interval must be from 0.05 to 3600 seconds")
        }
        _ = try DatabaseOption.parse(into, option: "--into")
    }

    func run() async throws {
        let location = try DatabaseOption.parse(into, option: "--into")
        let store: any ChatStore
        do {
            store = try await location.openStore(readReplica: nil, connections: nil)
        } catch let error as StoreError {
            throw ValidationError("--into: \(error.detail)")
        }
        var trimmed = from
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let source = trimmed
        var mirror = ChatMirror(
            client: AdminClient(baseURL: source, apiKey: apiKey ?? ""), store: store, source: source,
            applicationId: app)
        mirror.pollInterval = .milliseconds(Int(pollInterval * 1_000))
        let bar = ProgressBar()
        do {
            try await mirror.run(follow: follow) { event in
                switch event {
                case .exporting(let dialogs, let messages):
                    bar.show("Exporting: \(dialogs) dialogs, \(messages) messages")
                case .exported(let dialogs, let messages, let seconds):
                    bar.show("Exported \(dialogs) dialogs, \(messages) messages", final: true)
                    bar.end()
                    Self.say(
                        "Exported \(dialogs) dialogs and \(messages) messages from \(source) in \(String(format: "%.1f", seconds)) s"
                    )
                case .applying(let upserts, let deletions):
                    bar.show("Catching up: \(upserts) upserts, \(deletions) deletions")
                case .caughtUp(let upserts, let deletions, let seconds):
                    bar.end()
                    Self.say(
                        "Caught up: \(upserts) upserts and \(deletions) deletions applied in \(String(format: "%.1f", seconds)) s"
                    )
                case .polling:
                    Self.say(
                        "\(source) has no change feed (ConnectyCube): polling the lists by updated_at; deletions on the source are not seen"
                    )
                case .cursorExpired:
                    bar.end()
                    Self.say("The change feed no longer reaches back to this copy's cursor: exporting again")
                }
            }
        } catch {
            bar.end()
            try? await store.close()
            if error is CancellationError { return }
            if let error = error as? MirrorError {
                ExportCommand.printError("confab mirror: \(error)")
                throw ExitCode(ExportExitStatus.incompatibleServer.rawValue)
            }
            guard let status = ExportExitStatus(error) else { throw error }
            ExportCommand.printError("confab mirror: \(error)")
            throw ExitCode(status.rawValue)
        }
        try await store.close()
    }

    /// A line on standard error, where progress goes: standard output stays free for pipes.
    private static func say(_ line: String) {
        ExportCommand.printError(line)
    }
}
