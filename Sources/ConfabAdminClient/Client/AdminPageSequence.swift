import ConfabCore

/// The pages of a walk through an admin list, each asked for by keyset after the last row of
/// the one before. Ends after a page shorter than the page size (or than the `limit` the server
/// answered with, if it allows fewer rows a page). The first page is returned
/// even when empty, for its `total_entries`.
public struct AdminPageSequence<Item: AdminListItem>: AsyncSequence, Sendable {
    public typealias Element = AdminPage<Item>

    let client: AdminClient
    let query: AdminListQuery
    let start: ListPosition?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(client: client, query: query, position: start)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let client: AdminClient
        let query: AdminListQuery
        var position: ListPosition?
        var isFirst = true
        var isFinished = false

        public mutating func next() async throws -> AdminPage<Item>? {
            guard !isFinished else { return nil }
            do {
                var listQuery = try AdminFilter.listQuery(query.filters, sort: query.sort, for: Item.collection)
                listQuery.limit = client.pageSize
                let page = try await client.page(
                    Item.self, listQuery.continuing(after: position), startingAfter: position)
                position = page.position
                // A server with a smaller maximum than asked for says so in `limit`.
                let pageLimit = page.limit > 0 ? Swift.min(page.limit, listQuery.limit) : listQuery.limit
                isFinished = page.items.count < pageLimit
                defer { isFirst = false }
                return page.items.isEmpty && !isFirst ? nil : page
            } catch {
                isFinished = true
                throw error
            }
        }
    }
}
