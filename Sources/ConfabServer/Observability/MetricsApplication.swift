import ConfabStore
import Hummingbird
import Logging

/// `GET /metrics` on a port of its own, which the operator keeps to the scraper's network: the
/// metrics are the whole server's, every application's together, so no application's admin key
/// is the right key for them; and Prometheus scrapes without custom headers by default.
public func buildMetricsApplication(
    host: String, port: Int, metrics: ServerMetrics, store: any ChatStore,
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router()
    router.get("metrics") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.scrape(store: store))))
    }
    var logger = Logger(label: "confab.metrics")
    logger.logLevel = .warning
    return Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Confab"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }, logger: logger)
}
