import ConfabCore
import ConfabStore
import Foundation

/// Loads an export of an admin list into a store: Confab's own (`confab export`, NDJSON or
/// JSON) or ConnectyCube's admin list pages saved as they came (`{"total_entries":…,"items":[…]}`,
/// one after another or one per line). Ids, times and custom fields are kept; rows whose id the
/// application holds already are left as they are, so importing a file twice changes nothing.
///
/// The file is read in chunks and written in batches, each batch one transaction: memory stays
/// constant for NDJSON. A JSON array or page is held whole while it is read.
public struct ExportImporter: Sendable {
    public let store: any ChatStore
    public let applicationId: Int
    public let collection: ChatCollection
    /// Items a transaction writes: fewer commits (each one fsynced) and fewer counted-tree
    /// updates than 1,000 gave, in a few megabytes of parsed items.
    public var batchSize = 10_000

    public init(store: any ChatStore, applicationId: Int, collection: ChatCollection) {
        self.store = store
        self.applicationId = applicationId
        self.collection = collection
    }

    /// What an import read and wrote.
    public struct Summary: Sendable, Equatable {
        /// Items in the file.
        public var read = 0
        /// Items that were new to the application and were written.
        public var written = 0

        public init(read: Int = 0, written: Int = 0) {
            self.read = read
            self.written = written
        }
    }

    /// Imports the file at `path`; `progress` is called as each batch goes to the store (its
    /// `written` counts the batches written before it) and once more at the end.
    public func importFile(
        atPath path: String,
        progress: (Summary) -> Void = { _ in }
    ) async throws -> Summary {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw ExportImportError(item: nil, byteOffset: nil, reason: "cannot open \(path)")
        }
        defer { try? file.close() }
        var splitter = JSONValueSplitter()
        var summary = Summary()
        var batch = [JSONObject]()
        // The store writes one batch while the next is read and parsed: each keeps a core busy.
        // The write is a child task, so cancelling the import cancels it too, and an import that
        // fails or is cancelled returns only once nothing is writing any more.
        try await withThrowingTaskGroup(of: Int.self) { writing in
            func flush() async throws {
                try Task.checkCancellation()
                let parsed = try rows(of: batch, firstItem: summary.read + 1)
                let range = "items \(summary.read + 1)–\(summary.read + batch.count)"
                if let written = try await writing.next() { summary.written += written }
                summary.read += batch.count
                batch.removeAll(keepingCapacity: true)
                progress(summary)
                writing.addTask { try await insert(parsed, range: range) }
            }
            do {
                while true {
                    try Task.checkCancellation()
                    let chunk = try file.read(upToCount: 1 << 20) ?? Data()
                    if chunk.isEmpty { break }
                    let values: [[UInt8]]
                    do throws(JSONParser.SyntaxError) {
                        values = try splitter.split(chunk)
                    } catch {
                        throw ExportImportError(item: nil, byteOffset: error.offset, reason: error.reason)
                    }
                    for text in values {
                        batch += try items(of: text, startingAt: splitter.currentValueOffset)
                        if batch.count >= batchSize { try await flush() }
                    }
                }
                do throws(JSONParser.SyntaxError) {
                    try splitter.finish()
                } catch {
                    throw ExportImportError(item: nil, byteOffset: error.offset, reason: error.reason)
                }
                if !batch.isEmpty { try await flush() }
            } catch {
                // A file that fails part-way keeps the batches before the failure, the one in
                // flight included; only cancelling the import cancels that write.
                if !(error is CancellationError) { _ = try? await writing.next() }
                throw error
            }
            if let written = try await writing.next() { summary.written += written }
        }
        if summary.read > 0 { progress(summary) }
        return summary
    }

    /// The items of one top-level value: an item, an array of items, or a page with `items`.
    private func items(of text: [UInt8], startingAt offset: Int) throws -> [JSONObject] {
        let value: JSONValue
        do throws(JSONParser.SyntaxError) {
            value = try JSONParser.parse(text)
        } catch {
            throw ExportImportError(item: nil, byteOffset: offset + error.offset, reason: error.reason)
        }
        switch value {
        case .object(let object):
            if let items = object["items"], object["total_entries"] != nil {
                return try objects(in: items, offset: offset)
            }
            return [object]
        default:
            return try objects(in: value, offset: offset)
        }
    }

    private func objects(in value: JSONValue, offset: Int) throws -> [JSONObject] {
        guard let elements = value.arrayValue else {
            throw ExportImportError(item: nil, byteOffset: offset, reason: "`items` must be an array")
        }
        return try elements.map { element in
            guard let object = element.objectValue else {
                throw ExportImportError(item: nil, byteOffset: offset, reason: "an item must be a JSON object")
            }
            return object
        }
    }

    /// The dialogs or messages of `objects`, the first of which is item `firstItem` of the file.
    private func rows(of objects: [JSONObject], firstItem: Int) throws -> (dialogs: [Dialog], messages: [Message]) {
        var dialogs = [Dialog]()
        var messages = [Message]()
        for (index, object) in objects.enumerated() {
            let item = firstItem + index
            let isMessage = object["chat_dialog_id"] != nil
            if isMessage != (collection == .messages) {
                let kind = isMessage ? "a message" : "a dialog"
                throw ExportImportError(
                    item: item, byteOffset: nil,
                    reason: "is \(kind), not one of the \(collection.rawValue) this import was asked for")
            }
            do throws(AdminItemError) {
                switch collection {
                case .dialogs: dialogs.append(try AdminListJSON.dialog(from: object))
                case .messages: messages.append(try AdminListJSON.message(from: object))
                }
            } catch {
                throw ExportImportError(item: item, byteOffset: nil, reason: error.description)
            }
        }
        return (dialogs, messages)
    }

    /// Writes the rows of one batch (`range` names its items); returns how many were new.
    private func insert(_ rows: (dialogs: [Dialog], messages: [Message]), range: String) async throws -> Int {
        do {
            let inserted = try await store.insertNew(
                dialogs: rows.dialogs, messages: rows.messages, applicationId: applicationId)
            return inserted.dialogs + inserted.messages
        } catch let error as StoreError {
            throw ExportImportError(item: nil, byteOffset: nil, reason: "\(range): \(error.detail)")
        }
    }
}
