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
        try await streamExport(
            Item.collection, query, after: position,
            decode: { line throws(ExportLineError) in
                let object = try ExportLineError.object(of: line)
                do {
                    return try Item(json: object)
                } catch {
                    throw ExportLineError(reason: "\(error)")
                }
            },
            keys: { ($0.id, $0.sortKey($1)) }, batch)
    }

    /// The export's item lines as sent, each with the keys of its position: what an export to
    /// NDJSON or JSON writes through without building the items.
    func streamExportLines(
        _ collection: ChatCollection,
        _ query: AdminListQuery,
        after position: ListPosition?,
        _ batch: ([ExportedLine], ListPosition?) async throws -> Void
    ) async throws -> Int {
        try await streamExport(
            collection, query, after: position,
            decode: { line throws(ExportLineError) in try ExportedLine(line) },
            keys: { ($0.keys.id, $0.keys.sortKey($1)) },
            batch)
    }

    private func streamExport<Element>(
        _ collection: ChatCollection,
        _ query: AdminListQuery,
        after position: ListPosition?,
        decode: @escaping (ArraySlice<UInt8>) throws(ExportLineError) -> Element,
        keys: @escaping (Element, ListField) -> (ObjectId, Int64),
        _ batch: ([Element], ListPosition?) async throws -> Void
    ) async throws -> Int {
        let listQuery = try AdminFilter.listQuery(query.filters, sort: query.sort, for: collection)
            .continuing(after: position)
        guard listQuery.skip == 0 else {
            throw AdminClientError(.invalidQuery, messages: ["an export resumes after an _id; page from here instead"])
        }
        let parameters = listQuery.formParameters.filter { $0.name != "limit" && $0.name != "skip" }
        let path = collection == .dialogs ? "/admin/chat/export" : "/admin/chat/messages/export"
        let url = baseURL + path + "?" + Self.queryString(parameters)
        // No deadline for the whole answer, which may take hours; the client's read timeout
        // still ends a stream that stalls.
        let response = try await send(
            url, accept: "application/x-ndjson", acceptEncoding: compressesExports ? "gzip" : nil, timeout: .hours(24)
        ) { $0 }
        var lines = ExportLines(url: url, position: position, decode: decode) { keys($0, listQuery.sort.field) }
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

/// An item's line of an export, as sent, with the keys of its position.
struct ExportedLine {
    let bytes: ArraySlice<UInt8>
    let keys: LineKeys

    init(_ bytes: ArraySlice<UInt8>) throws(ExportLineError) {
        self.bytes = bytes
        if let keys = LineKeys(bytes) {
            self.keys = keys
            return
        }
        // Not the flat shape `LineKeys` reads: the parser decides.
        let object = try ExportLineError.object(of: bytes)
        do {
            let read = try ItemKeys(object)
            keys = LineKeys(id: read.id, createdAt: read.createdAt, updatedAt: read.updatedAt)
        } catch {
            throw ExportLineError(reason: "\(error)")
        }
    }
}

/// Why a line of an export is not an item.
struct ExportLineError: Error {
    let reason: String

    /// The line's JSON object, or the error that it is none.
    static func object(of line: ArraySlice<UInt8>) throws(ExportLineError) -> JSONObject {
        guard let object = (try? JSONParser.parse(Array(line)))?.objectValue else {
            throw ExportLineError(reason: "is not a JSON object")
        }
        return object
    }
}

/// Splits an export's body into lines and reads each: items, then the last line.
private struct ExportLines<Element> {
    let url: String
    let decode: (ArraySlice<UInt8>) throws(ExportLineError) -> Element
    let keys: (Element) -> (ObjectId, Int64)
    private(set) var position: ListPosition?
    private(set) var count = 0
    private var partial: [UInt8] = []
    private var trailer: ExportTrailer?

    init(
        url: String, position: ListPosition?, decode: @escaping (ArraySlice<UInt8>) throws(ExportLineError) -> Element,
        keys: @escaping (Element) -> (ObjectId, Int64)
    ) {
        self.url = url
        self.position = position
        self.decode = decode
        self.keys = keys
    }

    /// The items whose lines `chunk` completes. Lines inside the chunk are slices of one copy of
    /// it; only a line across chunks is put together.
    mutating func read(_ chunk: ByteBuffer) throws -> [Element] {
        let bytes = Array(chunk.readableBytesView)
        var items = [Element]()
        var start = 0
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line: ArraySlice<UInt8>
            if partial.isEmpty {
                line = bytes[start..<newline]
            } else {
                line = (partial + bytes[start..<newline])[...]
                partial = []
            }
            if let item = try self.line(line) { items.append(item) }
            start = newline + 1
        }
        partial += bytes[start...]
        guard partial.count <= AdminClient.longestExportLine else {
            throw incompatible("a line is longer than \(AdminClient.longestExportLine) bytes")
        }
        return items
    }

    /// The count, once the body has ended: its last line must have come, and agree.
    func finish() throws -> Int {
        try ExportTrailer.check(partial.isEmpty ? trailer : nil, items: count)
        return count
    }

    private mutating func line(_ bytes: ArraySlice<UInt8>) throws -> Element? {
        guard trailer == nil else { throw ExportCut(reason: "a line follows the last line") }
        if bytes.starts(with: "{\"export_complete\"".utf8) {
            guard let object = (try? JSONParser.parse(Array(bytes)))?.objectValue, let end = ExportTrailer(object)
            else {
                throw incompatible("its last line is not an export's")
            }
            trailer = end
            return nil
        }
        let item: Element
        do {
            item = try decode(bytes)
        } catch {
            throw incompatible("item \(count + 1) \(error.reason)")
        }
        count += 1
        let (id, key) = keys(item)
        position = .after(position, id: id, key: key)
        return item
    }

    private func incompatible(_ reason: String) -> AdminClientError {
        AdminClientError(.incompatibleServer, status: 200, messages: ["GET \(url): \(reason)"])
    }
}
