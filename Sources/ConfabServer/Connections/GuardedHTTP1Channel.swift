import ConfabRequests
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Synchronization

/// HTTP/1.1 with Confab's connection rules in front of Hummingbird's own channel: a cap on
/// open connections, and deadlines for a request's head, its body and the wait between
/// requests, so that slow or idle clients (slowloris) cannot hold the server's sockets.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = AcceptedConnection

    let base: HTTP1Channel

    init(
        responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, input: InputLimits,
        connections: OpenConnections
    ) {
        // The request target counts against the field size: it is bounded by `maximumURIBytes`.
        var configuration = HTTP1Channel.Configuration(
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: 65_536, maxHeaderListSize: 65_536, maxHeaderFieldCount: 100))
        configuration.idleTimeout = nil  // ConnectionGuard keeps the deadlines
        base = HTTP1Channel(responder: responder, configuration: configuration)
        self.limits = limits
        self.input = input
        self.connections = connections
    }

    private let limits: ConnectionLimits
    private let input: InputLimits
    private let connections: OpenConnections

    /// The guard sits between NIO's HTTP/1 decoder and Hummingbird's conversion to HTTPTypes,
    /// so it sees the head as sent (`Content-Length` included); the notifier sits before both.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let codec = try operations.handler(type: HTTP1ToHTTPServerCodec.self)
            try operations.addHandler(
                ConnectionGuard(limits: limits, input: input, connections: connections), position: .before(codec))
            try operations.addHandler(BytesArrivedNotifier(), position: .first)
            return AcceptedConnection(value)
        }
    }

    func handle(value: Value, logger: Logger) async {
        value.handled.store(true, ordering: .relaxed)
        await base.handle(value: value.asyncChannel, logger: logger)
    }
}

/// An accepted connection on its way to the accept loop. If the server stops while it is
/// still queued (accepted, never handed to `handle`), NIO would trap on a writer that was
/// never finished (apple/swift-nio#2637); letting go of it unhandled instead closes it the
/// way `handle` would have.
final class AcceptedConnection: ServerChildChannelValue {
    let asyncChannel: HTTP1Channel.Value
    let handled = Atomic(false)
    var channel: any Channel { asyncChannel.channel }

    init(_ asyncChannel: HTTP1Channel.Value) { self.asyncChannel = asyncChannel }

    deinit {
        guard !handled.load(ordering: .relaxed) else { return }
        Task { [asyncChannel] in try? await asyncChannel.executeThenClose { _, _ in } }
    }
}

/// Connections open now, across the whole server.
final class OpenConnections: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more; whether it is within `maximum`.
    func open(maximum: Int) -> Bool { count.add(1, ordering: .relaxed).newValue <= maximum }
    func close() { count.subtract(1, ordering: .relaxed) }
}
