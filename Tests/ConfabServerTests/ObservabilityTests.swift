import ConfabCore
import ConfabServer
import ConfabStore
import ConfabTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// `/metrics` scraped and parsed, and the request log: one JSON line a request, with its id.
@Suite("Metrics and request logs")
struct ObservabilityTests {
    @Test(
        "a scrape counts requests by route and status, latency, rows exported, 429s and the pools",
        arguments: StoreKind.available)
    func scrape(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, name: "m", dialogs: 7, messages: 40, seed: 3)
            let metrics = ServerMetrics()
            let configuration = ServerConfiguration(
                port: 0, rateLimits: RateLimits(perAdminKey: RateLimit(perSecond: 0.001, burst: 6)))
            let server = buildApplication(configuration, store: store, metrics: metrics)
            try await server.test(.router) { (client) async throws -> Void in
                let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
                for _ in 0..<3 { #expect(try await api.get("/admin/chat/list").status == .ok) }
                #expect(try await api.get("/admin/chat/messages/export").status == .ok)
                #expect(try await api.get("/admin/chat/export").status == .ok)
                #expect(
                    try await AdminAPITestClient(client: client, key: "wrong").get("/admin/chat/list").status
                        == .unauthorized)
                #expect(try await api.get("/no/such/route").status == .notFound)
                // The bucket held 6: the 6th admin request was the last it let through.
                #expect(try await api.get("/admin/chat/list").status == .ok)
                #expect(try await api.get("/admin/chat/list").status == .tooManyRequests)
            }
            let scraped = try await buildMetricsApplication(host: "127.0.0.1", port: 0, metrics: metrics, store: store)
                .test(.router) { (client) async throws -> PrometheusText in
                    let response = try await client.execute(uri: "/metrics", method: .get)
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    return try PrometheusText(String(buffer: response.body))
                }
            let list = ["route": "/admin/chat/list", "method": "GET"]
            #expect(scraped.value("confab_http_requests_total", list.merging(["status": "200"]) { $1 }) == 4)
            #expect(scraped.value("confab_http_requests_total", list.merging(["status": "401"]) { $1 }) == 1)
            #expect(scraped.value("confab_http_requests_total", list.merging(["status": "429"]) { $1 }) == 1)
            #expect(
                scraped.value(
                    "confab_http_requests_total", ["route": "unmatched", "method": "GET", "status": "404"]) == 1)
            #expect(scraped.value("confab_http_request_duration_seconds_count", list) == 6)
            let buckets = scraped.samples.filter {
                $0.name == "confab_http_request_duration_seconds_bucket" && $0.labels["route"] == "/admin/chat/list"
            }
            #expect(buckets.count >= 10)
            #expect(buckets.first { $0.labels["le"] == "+Inf" }?.value == 6)
            #expect(scraped.value("confab_rate_limited_requests_total", ["route": "/admin/chat/list"]) == 1)
            #expect(scraped.value("confab_rows_exported_total", ["collection": "messages"]) == 40)
            #expect(scraped.value("confab_rows_exported_total", ["collection": "dialogs"]) == 7)
            let pools = Set(
                scraped.samples.filter { $0.name == "confab_store_pool_in_use" }.compactMap { $0.labels["pool"] })
            #expect(pools == (kind == .sqlite ? ["writer", "reader"] : ["writer"]))
            #expect(scraped.value("confab_store_pool_in_use", ["pool": "writer"]) == 0)
            #expect(scraped.value("confab_store_pool_waiting", ["pool": "writer"]) == 0)
            #expect((scraped.value("confab_store_pool_connections", ["pool": "writer"]) ?? 0) >= 1)
            #expect(scraped.types["confab_http_request_duration_seconds"] == "histogram")
            #expect(scraped.types["confab_http_requests_total"] == "counter")
        }
    }

    @Test("a pool's sessions in use and waiting are counted while they are", arguments: StoreKind.available)
    func poolUsage(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, name: "q", dialogs: 2, messages: 2, seed: 1)
            #expect(store.poolUsage().allSatisfy { $0.inUse == 0 && $0.waiting == 0 })
            // An export holds a reader session until its body returns.
            let (entered, enter) = AsyncStream.makeStream(of: Void.self)
            let (release, leave) = AsyncStream.makeStream(of: Void.self)
            let export = Task {
                try await store.exportDialogs(applicationId: fixture.application.id, query: ListQuery(), batchRows: 2) {
                    _ in
                    enter.yield()
                    for await _ in release { break }
                }
            }
            for await _ in entered { break }
            let readers = store.poolUsage().last
            #expect(readers?.inUse == 1)
            leave.yield()
            leave.finish()
            try await export.value
            #expect(store.poolUsage().allSatisfy { $0.inUse == 0 && $0.waiting == 0 })
        }
    }

    @Test("each request is logged once, as JSON, with the id from X-Request-Id or a new one echoed back")
    func requestLog() async throws {
        try await withTemporaryStore(.sqlite) { store in
            let fixture = try await ChatFixture.make(in: store, name: "l", dialogs: 3, messages: 5, seed: 2)
            let lines = LogLines()
            var logger = Logger(label: "confab") { label in JSONLogHandler(label: label, output: lines.append) }
            logger.logLevel = .info
            let configuration = ServerConfiguration(port: 0, logger: logger)
            try await buildApplication(configuration, store: store).test(.router) { (client) async throws -> Void in
                let key = fixture.credentials.adminAPIKey
                let given = try await client.execute(
                    uri: "/admin/chat/list?limit=2", method: .get,
                    headers: [
                        HTTPField.Name("CB-Administration-API-Key")!: key, .init("X-Request-Id")!: "proxy-42.a:b",
                    ])
                #expect(given.status == .ok)
                #expect(given.headers[.init("X-Request-Id")!] == "proxy-42.a:b")
                let made = try await client.execute(
                    uri: "/admin/chat/list", method: .get,
                    headers: [
                        HTTPField.Name("CB-Administration-API-Key")!: "wrong", .init("X-Request-Id")!: "has space",
                    ])
                #expect(made.status == .unauthorized)
                let madeId = try #require(made.headers[.init("X-Request-Id")!])
                #expect(madeId.count == 32 && madeId.allSatisfy(\.isHexDigit))
                let tooLong = String(repeating: "a", count: 129)
                let other = try await client.execute(
                    uri: "/health", method: .get, headers: [.init("X-Request-Id")!: tooLong])
                #expect(other.headers[.init("X-Request-Id")!] != tooLong)

                let requests = try lines.objects().filter { $0["message"]?.stringValue == "request" }
                #expect(requests.count == 3)
                let first = try #require(requests.first { $0["request_id"]?.stringValue == "proxy-42.a:b" })
                #expect(first["method"]?.stringValue == "GET")
                #expect(first["route"]?.stringValue == "/admin/chat/list")
                #expect(first["path"]?.stringValue == "/admin/chat/list")
                #expect(first["status"]?.stringValue == "200")
                #expect(first["level"]?.stringValue == "info")
                #expect(Double(first["duration_ms"]?.stringValue ?? "") != nil)
                #expect(first["timestamp"]?.stringValue?.hasSuffix("Z") == true)
                let second = try #require(requests.first { $0["request_id"]?.stringValue == madeId })
                #expect(second["status"]?.stringValue == "401")
                let all = lines.text()
                #expect(!all.contains(key))
                #expect(!all.contains("limit=2"))
            }
        }
    }
}

/// Log lines as a handler wrote them.
final class LogLines: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    var append: @Sendable ([UInt8]) -> Void { { line in self.bytes.withLock { $0 += line } } }

    func text() -> String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }

    /// Each line parsed: every line must be one JSON object.
    func objects() throws -> [JSONObject] {
        try text().split(separator: "\n").map { line in
            try #require(try JSONParser.parse(Array(line.utf8)).objectValue, "not a JSON object: \(line)")
        }
    }
}

/// Prometheus' text exposition format, read strictly enough for a test: `# TYPE` lines and
/// `name{label="value",…} number` samples; anything else fails.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                try #require(parts.count == 4, "TYPE line: \(line)")
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            let match = try #require(
                line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([^ ]+)/), "sample line: \(line)")
            var labels: [String: String] = [:]
            if let list = match.2 {
                for pair in list.dropFirst().dropLast().matches(of: /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/) {
                    labels[String(pair.1)] = String(pair.2)
                }
            }
            let value = try #require(Double(match.3) ?? (match.3 == "+Inf" ? .infinity : nil), "value: \(line)")
            samples.append(Sample(name: String(match.1), labels: labels, value: value))
        }
    }

    /// The value of the one sample named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        let matching = samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
        return matching.count == 1 ? matching[0].value : nil
    }
}
