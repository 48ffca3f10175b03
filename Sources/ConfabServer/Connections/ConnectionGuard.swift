import ConfabRequests
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

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
