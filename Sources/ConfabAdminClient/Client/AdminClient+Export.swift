import AsyncHTTPClient
import ConfabCore
import NIOCore

extension AdminClient {
    /// The longest line an export may send before the client calls the server incompatible.
    static let longestExportLine = 16 << 20

    /// Every item of `query` after `position`, by Confab's streaming export
    /// (`GET /admin/chat/export`, `…/messages/export`), from one snapshot of the server's data:
    /// `batch` gets the items of each chunk as it arrives, with the position after them.
    /// Returns the number of items, which the export's last line has confirmed.
    ///
    /// - Throws: `AdminClientError` `.incompatibleServer` with status 404 from a server without
    ///   the export (ConnectyCube): walk the pages instead. `ExportCut` when the stream broke
    ///   off; the last position handed to `batch` resumes it, by pages or by another export.
    ///   `.invalidQuery` for a position inside a run of equal `created_at` or `updated_at`
    ///   values, which only paging (its `skip`) can resume.
    public func streamExport<Item: AdminListItem>(
        _ item: Item.Type,
        _ query: AdminListQuery = AdminListQuery(),
        after position: ListPosition? = nil,
        _ batch: ([Item], ListPosition?) async throws -> Void
    ) async throws -> Int {
        let listQuery = try AdminFilter.listQuery(query.filters, sort: query.sort, for: Item.collection)
            .continuing(after: position)
        guard listQuery.skip == 0 else {
            throw AdminClientError(.invalidQuery, messages: ["an export resumes after an _id; page from here instead"])
        }
        let parameters = listQuery.formParameters.filter { $0.name != "limit" && $0.name != "skip" }
        let path = Item.collection == .dialogs ? "/admin/chat/export" : "/admin/chat/messages/export"
        let url = baseURL + path + "?" + Self.queryString(parameters)
        // No deadline for the whole answer, which may take hours; the client's read timeout
        // still ends a stream that stalls.
        let response = try await send(url, accept: "application/x-ndjson", timeout: .hours(24)) { $0 }
        var lines = ExportLines<Item>(url: url, sort: listQuery.sort.field, position: position)
        do {
            for try await chunk in response.body {
                let items = try lines.read(chunk)
                if !items.isEmpty { try await batch(items, lines.position) }
            }
        } catch let error as AdminClientError {
            throw error
        } catch let error as ExportCut {
            throw error
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            throw ExportCut(reason: "after \(lines.count) items: \(error)")
        }
        return try lines.finish()
    }
}

/// Splits an export's body into lines and reads each: items, then the last line.
private struct ExportLines<Item: AdminListItem> {
    let url: String
    let sort: ListField
    private(set) var position: ListPosition?
    private(set) var count = 0
    private var partial: [UInt8] = []
    private var trailer: ExportTrailer?

    init(url: String, sort: ListField, position: ListPosition?) {
        self.url = url
        self.sort = sort
        self.position = position
    }

    /// The items whose lines `chunk` completes.
    mutating func read(_ chunk: ByteBuffer) throws -> [Item] {
        var items = [Item]()
        var rest = chunk.readableBytesView[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            partial += rest[..<newline]
            rest = rest[rest.index(after: newline)...]
            if let item = try line(partial) { items.append(item) }
            partial.removeAll(keepingCapacity: true)
        }
        partial += rest
        guard partial.count <= AdminClient.longestExportLine else {
            throw incompatible("a line is longer than \(AdminClient.longestExportLine) bytes")
        }
        return items
    }

    /// The count, once the body has ended: its last line must have come, and agree.
    func finish() throws -> Int {
        guard partial.isEmpty, let trailer else {
            throw ExportCut(reason: "the stream ended after \(count) items without its last line")
        }
        guard trailer.items == count else {
            throw ExportCut(reason: "the last line counts \(trailer.items) items, the stream held \(count)")
        }
        return count
    }

    private mutating func line(_ bytes: [UInt8]) throws -> Item? {
        guard trailer == nil else { throw ExportCut(reason: "a line follows the last line") }
        guard let object = (try? JSONParser.parse(bytes))?.objectValue else {
            throw incompatible("line \(count + 1) is not a JSON object")
        }
        if let end = ExportTrailer(object) {
            trailer = end
            return nil
        }
        let item: Item
        do {
            item = try Item(json: object)
        } catch {
            throw incompatible("item \(count + 1): \(error)")
        }
        count += 1
        position = .after(position, id: item.id, key: item.sortKey(sort))
        return item
    }

    private func incompatible(_ reason: String) -> AdminClientError {
        AdminClientError(.incompatibleServer, status: 200, messages: ["GET \(url): \(reason)"])
    }
}
