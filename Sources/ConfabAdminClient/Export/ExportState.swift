import ConfabCore
import Foundation

/// What resuming needs of an unfinished export: the options it ran with, how many bytes and
/// rows of the file are whole, and the position after the last of those rows. Kept beside the
/// file as `FILE.confab-export`, replaced (write and rename) after every page is written, and
/// removed when the export completes. A row written after the last replacement is cut off on
/// resume and fetched again, so a kill at any moment leaves no duplicate and no gap.
struct ExportState: Equatable {
    var list: ChatCollection
    var url: String
    /// The query string of the export's own query (filters, sort, page size).
    var query: String
    var format: ExportFormat
    var bytes: Int
    var rows: Int
    var position: ListPosition?

    static func path(for output: String) -> String { output + ".confab-export" }

    /// Whether a resumed export asks for the same rows in the same form.
    func hasSameOptions(as other: ExportState) -> Bool {
        list == other.list && url == other.url && query == other.query && format == other.format
    }

    func write(to path: String) throws {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.member("version", 1)
        writer.member("list", list.rawValue)
        writer.member("url", url)
        writer.member("query", query)
        writer.member("format", format.rawValue)
        writer.member("bytes", bytes)
        writer.member("rows", rows)
        if let position {
            writer.member("last_id", position.lastId)
            writer.member("last_key", position.lastKey)
            writer.member("rows_at_key", position.rowsAtKey)
        }
        writer.endObject()
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The state at `path`; `nil` if there is no such file.
    static func read(from path: String) throws -> ExportState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = (try? JSONParser.parse(Array(data)))?.objectValue,
            let list = object["list"]?.stringValue.flatMap(ChatCollection.init(rawValue:)),
            let url = object["url"]?.stringValue, let query = object["query"]?.stringValue,
            let format = object["format"]?.stringValue.flatMap(ExportFormat.init(rawValue:)),
            let bytes = object["bytes"]?.integerValue, let rows = object["rows"]?.integerValue
        else { throw ExportError.unreadableState(path) }
        var position: ListPosition?
        if let lastId = object["last_id"]?.stringValue.flatMap({ ObjectId(hex: $0) }) {
            position = ListPosition(
                lastId: lastId, lastKey: object["last_key"]?.integerValue ?? 0,
                rowsAtKey: Int(object["rows_at_key"]?.integerValue ?? 1))
        }
        return ExportState(
            list: list, url: url, query: query, format: format, bytes: Int(bytes), rows: Int(rows), position: position)
    }
}
