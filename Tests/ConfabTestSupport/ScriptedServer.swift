import ConfabServer
import ConfabStore
import Hummingbird
import HummingbirdTesting
import NIOCore

/// What the test server does with the requests it receives, in order: fail some on purpose
/// (a 429, a 503, a page that is not JSON), or hold one until the test lets it go. Every
/// request's path and query is recorded.
public actor RequestScript {
    /// An answer given instead of Confab's.
    public struct Failure: Sendable {
        public var status: HTTPResponse.Status
        public var headers: HTTPFields
        public var body: String

        public init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func status(_ code: Int, retryAfter: String? = nil) -> Failure {
            var headers = HTTPFields()
            if let retryAfter { headers[.retryAfter] = retryAfter }
            return Failure(
                status: HTTPResponse.Status(code: code), headers: headers, body: #"{"errors":["try later"]}"#)
        }
    }

    private var failures: [Failure?]
    private let withoutExport: Bool
    private var holdRequestNumber: Int?
    private var holding: CheckedContinuation<Void, Never>?
    private var heldSignal: CheckedContinuation<Void, Never>?
    private var isHeld = false
    public private(set) var requests: [String] = []

    /// `failures` answer the first requests, one each (`nil` lets one through); `holdingRequest`
    /// (counting from 1) waits until `release()`. `withoutExport` answers what only Confab has
    /// (the streaming export, the change feed; and, as ConnectyCube's docs show it nowhere on a
    /// test server, the statistics) 404, as ConnectyCube does.
    public init(failures: [Failure?] = [], holdingRequest: Int? = nil, withoutExport: Bool = false) {
        self.failures = failures
        self.holdRequestNumber = holdingRequest
        self.withoutExport = withoutExport
    }

    /// Answers the next requests with `failures` instead, one each (`nil` lets one through).
    public func answer(next failures: [Failure?]) {
        self.failures = failures
    }

    /// Returns once the held request has arrived.
    public func waitUntilHeld() async {
        if isHeld { return }
        await withCheckedContinuation { heldSignal = $0 }
    }

    /// Lets the held request go on; also ends a `waitUntilHeld` still waiting (a watchdog's way
    /// out when the request never comes).
    public func release() {
        holdRequestNumber = nil
        holding?.resume()
        holding = nil
        heldSignal?.resume()
        heldSignal = nil
    }

    /// Whether the held request arrived.
    public var wasHeld: Bool { isHeld }

    func arrive(_ uri: String) async -> Failure? {
        requests.append(uri)
        if requests.count == holdRequestNumber {
            isHeld = true
            heldSignal?.resume()
            heldSignal = nil
            await withCheckedContinuation { holding = $0 }
        }
        if let failure = failures.isEmpty ? nil : failures.removeFirst() { return failure }
        let path = uri.split(separator: "?")[0]
        if withoutExport, path.contains("/export") || path.contains("/changes") || path.contains("/stats") {
            return Failure(status: .notFound, body: #"{"errors":["Not Found"]}"#)
        }
        return nil
    }
}

/// Confab's router behind a `RequestScript`.
struct ScriptedResponder<Wrapped: HTTPResponder>: HTTPResponder {
    typealias Context = Wrapped.Context
    let wrapped: Wrapped
    let script: RequestScript

    func respond(to request: Request, context: Context) async throws -> Response {
        if let failure = await script.arrive(request.uri.description) {
            var headers = failure.headers
            headers[.contentType] = "application/json"
            return Response(
                status: failure.status, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: failure.body)))
        }
        return try await wrapped.respond(to: request, context: context)
    }
}

/// Runs Confab on `store` on a real port of 127.0.0.1, behind `script`, for as long as `body`
/// runs; `body` gets the server's base URL (`http://127.0.0.1:PORT`).
public func withLiveServer<Result: Sendable>(
    store: any ChatStore,
    script: RequestScript = RequestScript(),
    configuration: ServerConfiguration = ServerConfiguration(port: 0),
    _ body: @escaping @Sendable (_ baseURL: String) async throws -> Result
) async throws -> Result {
    let router = buildRouter(store: store, configuration: configuration)
    let application = Application(
        responder: ScriptedResponder(wrapped: router.buildResponder(), script: script),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await application.test(.live) { client in
        guard let port = client.port else { throw LiveServerError() }
        return try await body("http://127.0.0.1:\(port)")
    }
}

/// The live test server reported no port.
struct LiveServerError: Error {}
