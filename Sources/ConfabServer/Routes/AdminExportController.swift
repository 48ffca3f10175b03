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

    init(store: any ChatStore, limits: InputLimits, exports: ExportLimits) {
        self.store = store
        self.limits = limits
        self.exports = exports
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
        let (store, batchRows) = (store, exports.batchRows)
        let body = ResponseBody { writer in
            let stream = ExportStream(writer: writer, ticket: ticket)
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
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
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

    init(writer: any ResponseBodyWriter, ticket: ExportTicket) {
        self.writer = writer
        self.ticket = ticket
    }

    func write<Item>(_ batch: [Item], id: KeyPath<Item, ObjectId>, item: (Item, inout JSONWriter) -> Void)
        async throws
    {
        var json = JSONWriter(capacity: batch.count * 700)
        for element in batch {
            item(element, &json)
            json.lineBreak()
        }
        try await writer.write(ByteBuffer(bytes: json.bytes))
        items += batch.count
        lastId = batch.last?[keyPath: id] ?? lastId
    }

    /// The last line, which tells a complete export from a cut one.
    func finish() async throws {
        try await writer.write(ByteBuffer(bytes: ExportTrailer(items: items, lastId: lastId).line))
        try await writer.finish(nil)
    }
}
