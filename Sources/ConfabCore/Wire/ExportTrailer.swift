/// The last line of a streaming export (`GET /admin/chat/export`, `…/messages/export`):
/// `{"export_complete":true,"items":N,"last_id":"…"}`. An export without it, or whose count
/// differs, was cut; the list's own filters resume it after `last_id`.
public struct ExportTrailer: Sendable, Equatable {
    public var items: Int
    public var lastId: ObjectId?

    public init(items: Int, lastId: ObjectId?) {
        self.items = items
        self.lastId = lastId
    }

    /// The line, newline included.
    public var line: [UInt8] {
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.member("export_complete", true)
        writer.member("items", items)
        writer.member("last_id", lastId)
        writer.endObject()
        writer.lineBreak()
        return writer.bytes
    }

    /// The trailer a line holds; nil for an item (items have an `_id`, the trailer has not).
    public init?(_ object: JSONObject) {
        guard object["export_complete"] == .bool(true), object["_id"] == nil,
            let items = object["items"]?.integerValue, let count = Int(exactly: items), count >= 0
        else { return nil }
        self.items = count
        lastId = object["last_id"]?.stringValue.flatMap { ObjectId(hex: $0) }
    }

    /// The items of a whole export body, one JSON object a line, checked against its trailer.
    public static func items(of body: some Collection<UInt8>) throws(ExportCut) -> [JSONObject] {
        var items = [JSONObject]()
        var trailer: ExportTrailer?
        for line in body.split(separator: UInt8(ascii: "\n")) {
            guard trailer == nil else { throw ExportCut(reason: "a line follows the last line") }
            guard let object = try? JSONParser.parse(Array(line)).objectValue else {
                throw ExportCut(reason: "line \(items.count + 1) is not a JSON object")
            }
            if let end = ExportTrailer(object) { trailer = end } else { items.append(object) }
        }
        try check(trailer, items: items.count)
        return items
    }

    /// Whether a stream that held `count` items ended whole: with its last line, which counts them.
    public static func check(_ trailer: ExportTrailer?, items count: Int) throws(ExportCut) {
        guard let trailer else {
            throw ExportCut(reason: "the stream ended after \(count) items without its last line")
        }
        guard trailer.items == count else {
            throw ExportCut(reason: "the last line counts \(trailer.items) items, the stream held \(count)")
        }
    }
}

/// An export that did not arrive whole.
public struct ExportCut: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "the export was cut: \(reason)" }
}
