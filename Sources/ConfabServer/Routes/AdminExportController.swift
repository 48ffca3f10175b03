import CompressNIO
import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// `GET /admin/chat/export` and `GET /admin/chat/messages/export`, beyond ConnectyCube (which
/// only pages): every item the list's filters match, in the list's sort, as NDJSON — one item
/// a line, byte for byte as the list shows it — from one read snapshot, then an `ExportTrailer`.
struct AdminExportController {
    let store: any ChatStore
    let limits: InputLimits
    let exports: ExportLimits
    let slots: ExportSlots
    let metrics: ServerMetrics

    init(store: any ChatStore, limits: InputLimits, exports: ExportLimits, metrics: ServerMetrics) {
        self.store = store
        self.limits = limits
        self.exports = exports
        self.metrics = metrics
        slots = ExportSlots(exports)
    }

    func addRoutes(to group: RouterGroup<ConfabRequestContext>) {
        for collection in [ChatCollection.dialogs, .messages] {
            let path = collection == .dialogs ? "chat/export" : "chat/messages/export"
            for route in RoutePaths.withJSONSuffix(path) {
                group.get(route) { request, context in try await export(collection, request, context: context) }
            }
        }
    }

    /// The list parameters that make no sense for a stream of every matching item.
    static let pagingParameters: Set<String> = ["limit", "skip", "offset"]

    private func export(_ collection: ChatCollection, _ request: Request, context: ConfabRequestContext)
        async throws -> Response
    {
        let application = try context.requireApplication()
        let parameters = try await RequestParameters.collect(from: request, limits: limits)
        var errors = ParameterErrors()
        for parameter in parameters where Self.pagingParameters.contains(parameter.name) {
            errors.add(parameter.name, "is not a parameter of an export, which streams every matching item")
        }
        let query: ListQuery
        do {
            query = try ListQueryParser.parse(
                parameters.filter { !Self.pagingParameters.contains($0.name) }, for: collection)
        } catch {
            for entry in error.entries { for message in entry.messages { errors.add(entry.parameter, message) } }
            throw errors
        }
        guard errors.isEmpty else { throw errors }
        // Every slot taken and the line full: come back when one has ended.
        guard let ticket = await slots.acquire() else { throw APIError.tooManyRequests(retryAfterSeconds: 5) }
        let (store, batchRows, metrics) = (store, exports.batchRows, metrics)
        let gzip = Self.acceptsGzip(request.headers[values: .acceptEncoding])
        let body = ResponseBody { writer in
            let stream = try ExportStream(writer: writer, ticket: ticket, gzip: gzip) { count in
                metrics.recordRowsExported(count, collection: collection == .dialogs ? "dialogs" : "messages")
            }
            switch collection {
            case .dialogs:
                try await store.exportDialogs(applicationId: application.id, query: query, batchRows: batchRows) {
                    try await stream.write($0, id: \.id) { AdminListJSON.write($0, to: &$1) }
                }
            case .messages:
                try await store.exportMessages(applicationId: application.id, query: query, batchRows: batchRows) {
                    try await stream.write($0, id: \.id) { AdminListJSON.write($0, to: &$1) }
                }
            }
            try await stream.finish()
        }
        var headers: HTTPFields = [.contentType: "application/x-ndjson", .vary: "Accept-Encoding"]
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Whether `Accept-Encoding` takes gzip: named (or `*`), and not with `q=0`.
    static func acceptsGzip(_ values: [String]) -> Bool {
        for value in values {
            for coding in value.split(separator: ",") {
                let parts = coding.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
                guard let name = parts.first, ["gzip", "x-gzip", "*"].contains(name) else { continue }
                let refused = parts.dropFirst().contains { parameter in
                    parameter.hasPrefix("q=") && Double(parameter.dropFirst(2)) == 0
                }
                // gzip itself decides; a `*` refused leaves it to the other codings named.
                if name != "*" { return !refused }
                if !refused { return true }
            }
        }
        return false
    }
}

/// The response writer of one export and what it has written, used by that export's task alone,
/// batch after batch (hence `@unchecked`): the store's transaction awaits each write, which is
/// the backpressure from the client's socket.
private final class ExportStream: @unchecked Sendable {
    private var writer: any ResponseBodyWriter
    private var items = 0
    private var lastId: ObjectId?
    /// Keeps the export's slot until the stream is done with.
    private let ticket: ExportTicket

    /// Compresses the stream when the client takes gzip: at the fastest level, so that it
    /// costs the export little CPU; each batch is flushed whole, so the client reads as it comes.
    private let compressor: ZlibCompressor?
    /// Told of each batch once it is written.
    private let written: (Int) -> Void

    init(writer: any ResponseBodyWriter, ticket: ExportTicket, gzip: Bool, written: @escaping (Int) -> Void) throws {
        self.writer = writer
        self.ticket = ticket
        self.written = written
        compressor =
            gzip
            ? try ZlibCompressor(
                algorithm: .gzip, configuration: ZlibConfiguration(compressionLevel: .fastestCompression))
            : nil
    }

    private func send(_ bytes: [UInt8], last: Bool) async throws {
        var buffer = ByteBuffer(bytes: bytes)
        if let compressor { buffer = try buffer.compressStream(with: compressor, flush: last ? .finish : .sync) }
        try await writer.write(buffer)
    }

    func write<Item>(_ batch: [Item], id: KeyPath<Item, ObjectId>, item: (Item, inout JSONWriter) -> Void)
        async throws
    {
        var json = JSONWriter(capacity: batch.count * 700)
        for element in batch {
            item(element, &json)
            json.lineBreak()
        }
        try await send(json.bytes, last: false)
        items += batch.count
        written(batch.count)
        lastId = batch.last?[keyPath: id] ?? lastId
    }

    /// The last line, which tells a complete export from a cut one.
    func finish() async throws {
        try await send(ExportTrailer(items: items, lastId: lastId).line, last: true)
        try await writer.finish(nil)
    }
}
