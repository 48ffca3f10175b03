import ArgumentParser
import ConfabCore
import ConfabRequests
import ConfabStore
import Foundation

/// Where the time of one admin-list page goes inside the server, without HTTP: the store's
/// read (SQL, the count, decoding rows) and the JSON encoding of the page.
@main
struct PageCost: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confab-bench",
        abstract: "Time a page of the message list: the store's read, then encoding it as JSON.")

    @Option(help: "The database, as for `confab --database`.") var database: String
    @Option(name: .customLong("app"), help: "The application id.") var applicationId: Int
    @Option(help: "The page's query string, as the API takes it (default: limit=100, the first page).")
    var query = "limit=100"
    @Option(help: "Pages to time.") var iterations = 2_000

    func run() async throws {
        let location = try DatabaseLocation(parsing: database)
        let store = try await location.openStore(readReplica: nil, connections: 1)
        let query: ListQuery
        do {
            query = try ListQueryParser.parse(FormURLDecoder.decode(Array(self.query.utf8)), for: .messages)
        } catch {
            throw ValidationError("--query: \(error)")
        }
        let clock = ContinuousClock()
        var read = Duration.zero
        var encode = Duration.zero
        var bytes = 0
        for _ in 0..<iterations {
            let start = clock.now
            let page = try await store.messages(applicationId: applicationId, query: query)
            let fetched = clock.now
            bytes = AdminListJSON.encode(page).count
            encode += clock.now - fetched
            read += fetched - start
        }
        try await store.close()
        let perPage = { (total: Duration) in
            Double(total.components.seconds) * 1e6 / Double(iterations)
                + Double(total.components.attoseconds) / 1e12 / Double(iterations)
        }
        print(
            String(
                format: #"{"read_us":%.1f,"encode_us":%.1f,"bytes":%d}"#, perPage(read), perPage(encode), bytes))
    }
}
