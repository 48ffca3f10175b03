import ArgumentParser
import ConfabCore
import ConfabData
import ConfabStore
import Foundation

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load an export (confab export's, or ConnectyCube's admin list pages) into an application.",
        discussion: """
            Keeps ids, times and custom fields. Rows whose id the application holds already are left \
            as they are, so importing a file twice changes nothing. Import dialogs before their messages.
            """
    )

    @Argument(help: "dialogs or messages.") var list: ExportCommand.ListArgument
    @Argument(help: "NDJSON (one item per line), a JSON array, or admin list pages.") var file: String
    @Option(name: .customLong("app"), help: "The application id to import into.") var applicationId: Int
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let store = try await database.openStore()
        let importer = ExportImporter(
            store: store, applicationId: applicationId, collection: list == .dialogs ? .dialogs : .messages)
        let started = Date()
        let summary: ExportImporter.Summary
        do {
            summary = try await importer.importFile(atPath: file)
        } catch let error as ExportImportError {
            try? await store.close()
            ExportCommand.printError("confab import: \(file): \(error)")
            throw ExitCode.failure
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        let elapsed = String(format: "%.1f", Date().timeIntervalSince(started))
        print(
            "Imported \(file) into application \(applicationId): \(summary.read) \(list.rawValue) read, \(summary.written) new, \(summary.read - summary.written) already there (\(elapsed) s)"
        )
    }
}
