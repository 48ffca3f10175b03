import ArgumentParser
import ConfabServer
import ConfabStore
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Confab HTTP server."
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Serve demo data: without --database, from a fresh confab-demo.sqlite each time.")
    var demo = false
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        var location = try database.location()
        if demo && !database.isGiven {
            location = .sqlite(path: "confab-demo.sqlite")
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: "confab-demo.sqlite\(suffix)")
            }
        }
        let configuration = ServerConfiguration(host: host, port: port, logLevel: level)
        let store = try await location.openStore()
        if demo {
            if let (application, credentials) = try await store.createDemoApplicationIfEmpty() {
                print(DemoBanner(application: application, credentials: credentials, configuration: configuration).text)
            } else {
                print("\(location) holds data already, so no demo data was added. Serving it as it is.")
            }
            fflush(nil)  // the banner must show before the server logs, also when piped
        }
        let application = buildApplication(configuration, store: store)
        do {
            try await application.runService()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}
