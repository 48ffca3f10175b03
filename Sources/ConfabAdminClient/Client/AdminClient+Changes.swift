import AsyncHTTPClient
import ConfabCore
import NIOCore

extension AdminClient {
    /// One page of Confab's change feed (`GET /admin/chat/changes`, docs/change-feed.md): up to
    /// `limit` (1 to 1,000) changes after `start`, in commit order.
    ///
    /// - Throws: `AdminClientError` `.expiredCursor` for a cursor older than the deletions the
    ///   server keeps; `.incompatibleServer` with status 404 from a server without the feed
    ///   (ConnectyCube).
    public func changePage(from start: ChangeStart, limit: Int = 1_000) async throws -> ChangePage {
        try await changePageAndApplication(from: start, limit: limit).page
    }

    /// `changePage`, and the id of the key's application, which Confab's feed names in its
    /// `Confab-Application-Id` header (`nil` where it does not).
    public func changePageAndApplication(from start: ChangeStart, limit: Int = 1_000) async throws
        -> (page: ChangePage, applicationId: Int?)
    {
        var parameters = [FormParameter(name: "limit", value: String(min(max(limit, 1), 1_000)))]
        switch start {
        case .beginning: break
        case .now: parameters.append(FormParameter(name: "cursor", value: "now"))
        case .after(let cursor): parameters.append(FormParameter(name: "cursor", value: cursor.text))
        }
        let url = baseURL + "/admin/chat/changes?" + Self.queryString(parameters)
        let (body, applicationId) = try await send(url, accept: "application/json", timeout: requestTimeout) {
            response in
            (
                Array(buffer: try await response.body.collect(upTo: 256 << 20)),
                response.headers.first(name: "Confab-Application-Id").flatMap { Int($0) }
            )
        }
        do {
            return (try ChangeFeedJSON.decode(body), applicationId)
        } catch {
            throw AdminClientError(.incompatibleServer, status: 200, messages: ["GET \(url): \(error)"])
        }
    }

    /// The change feed from `start`, page after page, following it until the task is
    /// cancelled: when caught up it asks again after `pollInterval`. Each page comes with the
    /// cursor to resume after it: keep it with what the page's changes were applied to.
    public func changePages(
        from start: ChangeStart = .beginning, limit: Int = 1_000, pollInterval: Duration = .seconds(1)
    )
        -> ChangePageSequence
    {
        ChangePageSequence(client: self, start: start, limit: limit, pollInterval: pollInterval, follows: true)
    }

    /// Every change from `start`, one at a time, following the feed until cancelled.
    public func changes(from start: ChangeStart = .beginning, pollInterval: Duration = .seconds(1))
        -> ChangeSequence
    {
        ChangeSequence(pages: changePages(from: start, pollInterval: pollInterval))
    }
}

/// `AdminClient.changePages`: the feed's pages; with `follows`, an empty page is not handed out
/// but waited past. Without it (`catchingUp`), the sequence ends at the first empty page.
public struct ChangePageSequence: AsyncSequence, Sendable {
    public typealias Element = ChangePage
    let client: AdminClient
    let start: ChangeStart
    let limit: Int
    let pollInterval: Duration
    let follows: Bool

    /// The same pages, ending once caught up instead of waiting for more.
    public var catchingUp: ChangePageSequence {
        ChangePageSequence(client: client, start: start, limit: limit, pollInterval: pollInterval, follows: false)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(sequence: self, next: start)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: ChangePageSequence
        var next: ChangeStart
        var ended = false

        public mutating func next() async throws -> ChangePage? {
            while !ended {
                try Task.checkCancellation()
                let page = try await sequence.client.changePage(from: next, limit: sequence.limit)
                next = .after(page.nextCursor)
                if !page.changes.isEmpty { return page }
                guard sequence.follows else {
                    ended = true
                    return nil
                }
                try await Task.sleep(for: sequence.pollInterval)
            }
            return nil
        }
    }
}

/// `AdminClient.changes`: the changes of the feed's pages, one at a time.
public struct ChangeSequence: AsyncSequence, Sendable {
    public typealias Element = ChatChange
    let pages: ChangePageSequence

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: ChangePageSequence.AsyncIterator
        var buffered: ArraySlice<ChatChange> = []

        public mutating func next() async throws -> ChatChange? {
            while buffered.isEmpty {
                guard let page = try await pages.next() else { return nil }
                buffered = page.changes[...]
            }
            return buffered.popFirst()
        }
    }
}
