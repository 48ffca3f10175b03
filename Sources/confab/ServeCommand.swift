import ArgumentParser
import ConfabCore
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
    @Option(
        help: ArgumentHelp(
            "A PostgreSQL read replica (postgres://…) for the admin lists; writes and everything else use --database (default: $CONFAB_READ_DATABASE_URL).",
            valueName: "url"))
    var readDatabase: String?
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
        let replicaURL = readDatabase ?? ProcessInfo.processInfo.environment["CONFAB_READ_DATABASE_URL"]
        let replica = try replicaURL.map { try DatabaseOption.parse($0, option: "--read-database") }
        let configuration = ServerConfiguration(host: host, port: port, logLevel: level)
        let store = try await database.openStore(at: location, readReplica: replica)
        var demoApplication: (ChatApplication, ApplicationCredentials)?
        if demo {
            demoApplication = try await store.createDemoApplicationIfEmpty()
            if demoApplication == nil {
                print("\(location) holds data already, so no demo data was added. Serving it as it is.")
            }
        }
        let host = host
        let dataLine = "Data: \(location)" + (replica.map { " (admin lists from the replica \($0))" } ?? "")
        let application = buildApplication(configuration, store: store) { [demoApplication] port in
            if let (application, credentials) = demoApplication {
                print(DemoBanner(application: application, credentials: credentials, host: host, port: port).text)
            }
            print(dataLine)
            print("Listening on http://\(host):\(port)")
            fflush(nil)  // shown at once, also when the output is piped
        }
        do {
            try await application.runService()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}
