import ConfabCore
import HTTPTypes
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

/// Bytes came in from the socket: the start of a request's head, if none was under way.
struct BytesArrived: Sendable {}

/// First in the pipeline: tells `ConnectionGuard` when bytes arrive, which the HTTP decoder
/// does not say until a whole head is read.
final class BytesArrivedNotifier: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(BytesArrived())
        context.fireChannelRead(data)
    }
}

/// Enforces `ConnectionLimits` on one connection, and answers what never reaches a route
/// (too many connections, a declared body over the limit, a request target too long,
/// malformed HTTP, a head that takes too long) with the API's JSON error body.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: ConnectionLimits
    private let input: InputLimits
    private let connections: OpenConnections
    private var counted = false
    private var headsRead = 0
    private var endsRead = 0
    private var responsesWritten = 0
    /// Bytes of a next request have arrived since the last response.
    private var requestStarted = false
    /// After malformed input in a request: close once its response is written.
    private var closeAfterResponse = false
    /// Answered and closing: whatever the client still sends is read and dropped.
    private var closing = false
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits, input: InputLimits, connections: OpenConnections) {
        self.limits = limits
        self.input = input
        self.connections = connections
    }

    /// Between requests: every request read has been answered.
    private var isBetweenRequests: Bool { headsRead == responsesWritten && endsRead == headsRead }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    private func opened(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        guard connections.open(maximum: limits.maximumConnections) else {
            // Closed at once, without lingering and without holding a slot: refusing must stay
            // cheaper than serving, whatever the rate of new connections.
            connections.close()
            counted = false
            respondAndClose(context, .serviceUnavailable("Too many connections; try again shortly"), linger: false)
            return
        }
        arm(context, after: limits.headTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted {
            connections.close()
            counted = false
        }
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is BytesArrived else { return context.fireUserInboundEventTriggered(event) }
        if !closing, isBetweenRequests, !requestStarted {
            requestStarted = true
            arm(context, after: limits.headTimeout)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            let answerable = isBetweenRequests
            headsRead += 1
            if head.uri.utf8.count > input.maximumURIBytes {
                return refuse(
                    context, answerable: answerable,
                    .uriTooLong("The request target may be at most \(input.maximumURIBytes) bytes"))
            }
            if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }),
                length > input.maximumBodyBytes
            {
                return refuse(
                    context, answerable: answerable,
                    .contentTooLarge("A request body may be at most \(input.maximumBodyBytes) bytes"))
            }
            arm(context, after: limits.bodyTimeout)
        case .body:
            break
        case .end:
            endsRead += 1
            if isBetweenRequests {
                // Answered before its body was all in (a refused key, say): now idle.
                requestStarted = false
                arm(context, after: limits.idleTimeout)
            } else {
                // The server is working on it: no deadline is the client's until it is answered.
                deadline?.cancel()
                deadline = nil
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        responsesWritten += 1
        if closeAfterResponse {
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
            return
        }
        context.write(data, promise: promise)
        if isBetweenRequests {
            requestStarted = false
            arm(context, after: limits.idleTimeout)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else { return context.fireErrorCaught(error) }
        if closing {
            return  // the bytes of a refused request, being dropped
        } else if isBetweenRequests {
            respondAndClose(context, .badRequest("Malformed HTTP request: \(error)"))
        } else if headsRead > endsRead {
            // A route is reading this request's body: it fails with the error and answers 400.
            closeAfterResponse = true
            context.fireErrorCaught(error)
        } else {
            // Malformed input after a request that is still being answered: close after it.
            closeAfterResponse = true
        }
    }

    private func refuse(_ context: ChannelHandlerContext, answerable: Bool, _ error: APIError) {
        if answerable {
            respondAndClose(context, error)
        } else {
            context.close(promise: nil)
        }
    }

    private func arm(_ context: ChannelHandlerContext, after timeout: Duration) {
        deadline?.cancel()
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            let (handler, context) = loopBound.value
            handler.deadlinePassed(context)
        }
    }

    private func deadlinePassed(_ context: ChannelHandlerContext) {
        deadline = nil
        if isBetweenRequests, requestStarted || headsRead == 0 {
            // A head that did not arrive in time; nobody else will answer it.
            respondAndClose(context, .requestTimeout("The request was not received in time"))
        } else {
            // Idle between requests, or a body that did not arrive in time (its route fails).
            context.close(promise: nil)
        }
    }

    /// Answers `error` and closes. A client may still be sending (a body the head said was too
    /// large): closing at once would reset the connection, and a reset can destroy the answer
    /// before the client reads it. So the output is closed after the answer, what still comes
    /// in is read and dropped, and the connection is closed for good a moment later.
    private func respondAndClose(_ context: ChannelHandlerContext, _ error: APIError, linger: Bool = true) {
        deadline?.cancel()
        deadline = nil
        closing = true
        let body = error.body
        let headers = HTTPHeaders([
            ("Content-Type", "application/json; charset=utf-8"), ("Content-Length", String(body.count)),
            ("Connection", "close"),
        ])
        let status = HTTPResponseStatus(statusCode: error.status.code, reasonPhrase: error.status.reasonPhrase)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            let context = loopBound.value
            guard linger else { return context.close(promise: nil) }
            context.close(mode: .output, promise: nil)
            context.eventLoop.scheduleTask(in: Self.lingering) { loopBound.value.close(promise: nil) }
        }
    }

    /// How long a refused client's remaining bytes are read and dropped before the close.
    static let lingering = TimeAmount.seconds(2)
}
