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

    /// What the file ends with.
    var footer: [UInt8] {
        switch self {
        case .ndjson, .csv: []
        case .json: Array("\n]\n".utf8)
        }
    }
}
