import AsyncHTTPClient
import ConfabCore
import Foundation
import NIOCore
import NIOHTTP1

/// The ConnectyCube Admin API's chat lists, for Swift programs: every dialog or message of an
/// application, paged for you. Works against Confab and against ConnectyCube's hosted service.
///
/// ```swift
/// let client = AdminClient(baseURL: "http://127.0.0.1:8080", apiKey: key)
/// for try await message in client.messages(AdminListQuery([.updatedAt(.greaterThan(lastRun))])) {
///     print(message.id, message.json)
/// }
/// ```
///
/// Requests that fail for a passing reason are retried (`RetryPolicy`); others throw
/// `AdminClientError`. Cancelling the task stops the walk: the request under way is cancelled
/// and its connection closed.
public struct AdminClient: Sendable {
    /// Where the API is, e.g. `https://api.connectycube.com`.
    public let baseURL: String
    /// The administration key every request sends.
    public let apiKey: String
    let httpClient: HTTPClient
    public var retry: RetryPolicy
    /// Rows per request, 1 to 100 (the API's maximum).
    public var pageSize: Int
    /// Longest wait for one response.
    public var requestTimeout: TimeAmount = .seconds(60)
    /// Asks for streaming exports gzip-compressed (`Accept-Encoding: gzip`): for slow links.
    /// Needs an `HTTPClient` that decompresses, as `sharedHTTPClient` does.
    public var compressesExports = false

    public init(
        baseURL: String,
        apiKey: String,
        httpClient: HTTPClient = AdminClient.sharedHTTPClient,
        retry: RetryPolicy = .default,
        pageSize: Int = ListQuery.maximumLimit
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.httpClient = httpClient
        self.retry = retry
        self.pageSize = min(max(pageSize, 1), ListQuery.maximumLimit)
    }

    /// The HTTP client every `AdminClient` uses unless given another: AsyncHTTPClient's own
    /// retrying of failed connections is off, because it would hold a request until its deadline
    /// (a minute per attempt when nothing listens); `RetryPolicy` retries them instead. Lives as
    /// long as the process, like `HTTPClient.shared`.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(10), read: .seconds(60)), decompression: .enabled(limit: .ratio(25)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    // MARK: Walks

    /// Every dialog matching `query`, fetched page by page as the loop asks for them.
    public func dialogs(_ query: AdminListQuery = AdminListQuery(), after position: ListPosition? = nil)
        -> AdminItemSequence<AdminDialog>
    {
        AdminItemSequence(pages: pages(AdminDialog.self, query, after: position))
    }

    /// Every message matching `query`, fetched page by page as the loop asks for them.
    public func messages(_ query: AdminListQuery = AdminListQuery(), after position: ListPosition? = nil)
        -> AdminItemSequence<AdminMessage>
    {
        AdminItemSequence(pages: pages(AdminMessage.self, query, after: position))
    }

    /// The pages of a walk: to write each page away before asking for the next, and to keep
    /// `position` for resuming later. `after` resumes a walk that stopped there.
    public func pages<Item: AdminListItem>(
        _ item: Item.Type,
        _ query: AdminListQuery = AdminListQuery(),
        after position: ListPosition? = nil
    ) -> AdminPageSequence<Item> {
        AdminPageSequence(client: self, query: query, start: position)
    }

    // MARK: One page

    /// One page of `query` after `position` (from the start when `nil`), with the server's
    /// `total_entries` for that page's query.
    public func page<Item: AdminListItem>(
        _ item: Item.Type,
        _ query: AdminListQuery = AdminListQuery(),
        after position: ListPosition? = nil,
        skip: Int = 0,
        limit: Int? = nil
    ) async throws -> AdminPage<Item> {
        var listQuery = try AdminFilter.listQuery(query.filters, sort: query.sort, for: Item.collection)
        listQuery.limit = min(max(limit ?? pageSize, 1), ListQuery.maximumLimit)
        listQuery.skip = max(skip, 0)
        return try await page(Item.self, listQuery.continuing(after: position), startingAfter: position)
    }

    func page<Item: AdminListItem>(
        _ item: Item.Type,
        _ query: ListQuery,
        startingAfter start: ListPosition?
    ) async throws -> AdminPage<Item> {
        let path = Item.collection == .dialogs ? "/admin/chat/list" : "/admin/chat/messages/list"
        let url = baseURL + path + "?" + Self.queryString(query.formParameters)
        let body = try await get(url)
        let page = try Self.decodePage(Item.self, body, url: url)
        var position = start
        for item in page.items {
            position = .after(position, id: item.id, key: item.sortKey(query.sort.field))
        }
        return AdminPage(
            totalEntries: page.totalEntries, skip: page.skip, limit: page.limit, items: page.items,
            position: position)
    }

    // MARK: HTTP

    /// The body of a 200 answer to `GET url`, retrying as `retry` allows.
    func get(_ url: String) async throws -> [UInt8] {
        try await send(url, accept: "application/json", timeout: requestTimeout) { response in
            Array(buffer: try await response.body.collect(upTo: 64 << 20))
        }
    }

    /// `read` of a 200 answer to `GET url`, retrying as `retry` allows (a failure inside `read`
    /// too: it is part of the attempt).
    func send<Answer: Sendable>(
        _ url: String, accept: String, acceptEncoding: String? = nil, timeout: TimeAmount,
        read: (HTTPClientResponse) async throws -> Answer
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "CB-Administration-API-Key", value: apiKey)
        request.headers.add(name: "Accept", value: accept)
        if let acceptEncoding { request.headers.add(name: "Accept-Encoding", value: acceptEncoding) }
        var random = SystemRandomNumberGenerator()
        var attempts = 0
        while true {
            try Task.checkCancellation()
            attempts += 1
            switch try await attempt(request, url: url, timeout: timeout, read: read) {
            case .answered(let answer):
                return answer
            case .failed(let failure, let serverAsked):
                guard attempts < retry.maximumAttempts else {
                    throw AdminClientError(
                        .unavailable, messages: ["\(failure) after \(attempts) attempts (GET \(url))"])
                }
                try await Task.sleep(
                    for: retry.delay(beforeRetry: attempts - 1, serverAsked: serverAsked, using: &random))
            }
        }
    }

    /// What one attempt got: a 200, or a failure that another attempt may mend.
    private enum Attempt<Answer> {
        case answered(Answer)
        case failed(String, serverAsked: Duration?)
    }

    /// One request. Answers no retry mends are thrown as `AdminClientError`s.
    private func attempt<Answer>(
        _ request: HTTPClientRequest, url: String, timeout: TimeAmount,
        read: (HTTPClientResponse) async throws -> Answer
    ) async throws -> Attempt<Answer> {
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            let status = Int(response.status.code)
            if status == 200 { return .answered(try await read(response)) }
            let body = Array(buffer: try await response.body.collect(upTo: 1 << 20))
            switch status {
            case 401, 403:
                throw AdminClientError(
                    .unauthorized, status: status, messages: AdminClientError.serverMessages(in: body))
            case 400, 422:
                throw AdminClientError(
                    .invalidQuery, status: status, messages: AdminClientError.serverMessages(in: body))
            case 404:
                throw AdminClientError(
                    .incompatibleServer, status: status, messages: ["\(url) answered 404 Not Found"])
            case 410:
                throw AdminClientError(
                    .expiredCursor, status: status, messages: AdminClientError.serverMessages(in: body))
            case 429, 502, 503, 504:
                return .failed("HTTP \(status)", serverAsked: Self.retryAfter(response.headers))
            default:
                throw AdminClientError(
                    .unexpectedStatus, status: status, messages: AdminClientError.serverMessages(in: body))
            }
        } catch let error as AdminClientError {
            throw error
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            if let error = error as? HTTPClientError {
                if error == .cancelled { throw CancellationError() }
                if Self.isPermanent(error) {
                    throw AdminClientError(.incompatibleServer, messages: ["GET \(url): \(error)"])
                }
            }
            return .failed(String(describing: error), serverAsked: nil)
        }
    }

    /// Failures that another attempt cannot mend: the URL itself is unusable.
    private static func isPermanent(_ error: HTTPClientError) -> Bool {
        [HTTPClientError.invalidURL, .emptyHost, .emptyScheme, .missingSocketPath].contains(error)
            || String(describing: error).contains("unsupportedScheme")
    }

    /// `Retry-After` as seconds or as an HTTP date.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value) { return .seconds(max(seconds, 0)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSinceNow.rounded(.up))))
    }

    /// Percent-encodes names and values (brackets included), joined with `&`.
    static func queryString(_ parameters: [FormParameter]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
        return parameters.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    /// An admin list page, or `.incompatibleServer` saying what is wrong with it.
    static func decodePage<Item: AdminListItem>(_ item: Item.Type, _ body: [UInt8], url: String)
        throws(AdminClientError) -> (totalEntries: Int, skip: Int, limit: Int, items: [Item])
    {
        func incompatible(_ reason: String) -> AdminClientError {
            AdminClientError(.incompatibleServer, status: 200, messages: ["GET \(url): \(reason)"])
        }
        guard let object = (try? JSONParser.parse(body))?.objectValue else {
            throw incompatible("the answer is not a JSON object")
        }
        guard let total = object["total_entries"]?.integerValue, let items = object["items"]?.arrayValue else {
            throw incompatible("the answer has no total_entries and items")
        }
        var decoded = [Item]()
        decoded.reserveCapacity(items.count)
        for (index, element) in items.enumerated() {
            guard let json = element.objectValue else { throw incompatible("item \(index) is not an object") }
            do {
                decoded.append(try Item(json: json))
            } catch {
                throw incompatible("item \(index): \(error)")
            }
        }
        return (
            Int(total), Int(object["skip"]?.integerValue ?? 0), Int(object["limit"]?.integerValue ?? 0), decoded
        )
    }
}
