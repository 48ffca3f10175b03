import ConfabCore

/// The file formats of `confab export`.
///
/// - `ndjson`: one item per line, as the API sent it. Streams, resumes, and `confab import` reads it.
/// - `json`: one array of the items, one per line (`[\n{…},\n{…}\n]\n`).
/// - `csv`: RFC 4180, a header and one record per item, in a fixed column set per list;
///   arrays and objects as JSON cells, `null` as an empty cell, and every member outside the set
///   (a message's custom fields) together as one JSON object in the last column, `custom_fields`.
public enum ExportFormat: String, Sendable, CaseIterable {
    case ndjson
    case json
    case csv

    /// What the file starts with.
    func header(for collection: ChatCollection) -> [UInt8] {
        switch self {
        case .ndjson: []
        case .json: Array("[".utf8)
        case .csv: CSVRecord.encode(CSVColumns.names(for: collection))
        }
    }

    /// One item, `isFirst` when no item precedes it in the file.
    func record(_ item: some AdminListItem, isFirst: Bool) -> [UInt8] {
        switch self {
        case .ndjson:
            return item.jsonBytes + [UInt8(ascii: "\n")]
        case .json:
            return Array((isFirst ? "\n" : ",\n").utf8) + item.jsonBytes
        case .csv:
            return CSVRecord.encode(CSVColumns.cells(of: item.json, collection: type(of: item).collection))
        }
    }

    /// The records of `items`, which follow `rows` items in the file.
    func records(_ items: [some AdminListItem], after rows: Int) -> [UInt8] {
        var bytes = [UInt8]()
        for (index, item) in items.enumerated() { bytes += record(item, isFirst: rows + index == 0) }
        return bytes
    }

    /// The records of items as the server sent them, which follow `rows` items in the file:
    /// NDJSON and JSON write the lines through. Never called for CSV, which needs the items.
    func records(lines: [ExportedLine], after rows: Int) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.bytes.count + 2 })
        for (index, line) in lines.enumerated() {
            if self == .json { bytes += (rows + index == 0 ? "\n" : ",\n").utf8 }
            bytes += line.bytes
            if self == .ndjson { bytes.append(UInt8(ascii: "\n")) }
        }
        return bytes
    }

    /// What the file ends with.
    var footer: [UInt8] {
        switch self {
        case .ndjson, .csv: []
        case .json: Array("\n]\n".utf8)
        }
    }
}
