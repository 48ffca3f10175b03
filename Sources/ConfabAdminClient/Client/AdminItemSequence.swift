/// Every row of a walk through an admin list, one at a time; pages are fetched as needed.
public struct AdminItemSequence<Item: AdminListItem>: AsyncSequence, Sendable {
    public typealias Element = Item

    let pages: AdminPageSequence<Item>

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var pages: AdminPageSequence<Item>.AsyncIterator
        var buffer: [Item] = []
        var index = 0

        /// Throws `CancellationError` once the task is cancelled, even with rows of the last
        /// page left: a cancelled walk stops at once.
        public mutating func next() async throws -> Item? {
            try Task.checkCancellation()
            while index == buffer.count {
                guard let page = try await pages.next() else { return nil }
                buffer = page.items
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
