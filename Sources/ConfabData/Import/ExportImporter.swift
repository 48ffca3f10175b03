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
    public var batchSize = 1_000

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

    /// Imports the file at `path`; `progress` is called after each batch.
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
        while true {
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
                if batch.count >= batchSize {
                    try await write(batch, summary: &summary)
                    batch.removeAll(keepingCapacity: true)
                    progress(summary)
                }
            }
        }
        do throws(JSONParser.SyntaxError) {
            try splitter.finish()
        } catch {
            throw ExportImportError(item: nil, byteOffset: error.offset, reason: error.reason)
        }
        if !batch.isEmpty {
            try await write(batch, summary: &summary)
            progress(summary)
        }
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

    private func write(_ objects: [JSONObject], summary: inout Summary) async throws {
        var dialogs = [Dialog]()
        var messages = [Message]()
        for (index, object) in objects.enumerated() {
            let item = summary.read + index + 1
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
        let inserted: InsertedRows
        do {
            inserted = try await store.insertNew(dialogs: dialogs, messages: messages, applicationId: applicationId)
        } catch let error as StoreError {
            throw ExportImportError(
                item: nil, byteOffset: nil,
                reason: "items \(summary.read + 1)–\(summary.read + objects.count): \(error.detail)")
        }
        summary.read += objects.count
        summary.written += inserted.dialogs + inserted.messages
    }
}
