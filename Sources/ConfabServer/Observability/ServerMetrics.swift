import ConfabStore
import CoreMetrics
import Prometheus

/// The server's metrics: kept by swift-metrics' types on a registry of this server's own (not
/// the process-wide `MetricsSystem`, so that several servers in one process, as in the tests,
/// count apart), and written in Prometheus' text format by `scrape(store:)`.
public final class ServerMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A list page is about a millisecond; an export, seconds to minutes.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
    }

    /// One answered request. `route` is the route's pattern (`/admin/chat/:dialog_id`), never a
    /// path, so the label's values are as few as the routes.
    func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let status = String(status)
        Counter(
            label: "confab_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", status)],
            factory: factory
        ).increment()
        CoreMetrics.Timer(
            label: "confab_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
            factory: factory
        ).recordSeconds(seconds)
        if status == "429" {
            Counter(label: "confab_rate_limited_requests_total", dimensions: [("route", route)], factory: factory)
                .increment()
        }
    }

    /// Items an export has written.
    func recordRowsExported(_ count: Int, collection: String) {
        Counter(label: "confab_rows_exported_total", dimensions: [("collection", collection)], factory: factory)
            .increment(by: count)
    }

    /// A request that failed in the database: `busy` (another writer held the lock too long,
    /// a 503) or `failed` (any other error the store raised, a 500).
    func recordDatabaseError(kind: String) {
        Counter(label: "confab_database_errors_total", dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// Every metric in Prometheus' text format, with the store's pools as they are now.
    public func scrape(store: any ChatStore) -> [UInt8] {
        for usage in store.poolUsage() {
            let pool = [("pool", usage.pool)]
            Gauge(label: "confab_store_pool_connections", dimensions: pool, factory: factory)
                .record(Double(usage.capacity))
            Gauge(label: "confab_store_pool_in_use", dimensions: pool, factory: factory).record(Double(usage.inUse))
            Gauge(label: "confab_store_pool_waiting", dimensions: pool, factory: factory).record(Double(usage.waiting))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16_384)
        registry.emit(into: &bytes)
        return bytes
    }
}
