import ConfabCore

/// The `_id`, `created_at` and `updated_at` of one exported item's line, found without building
/// the item: an export written through to NDJSON or JSON needs no more of it (the position
/// after it). Strings are skipped escape-aware and nesting is counted, so only the object's own
/// members match. `nil` for anything else; the caller then parses the line whole.
struct LineKeys: Equatable {
    let id: ObjectId
    let createdAt: Int64
    let updatedAt: Int64

    init(id: ObjectId, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init?(_ line: ArraySlice<UInt8>) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var id: ObjectId?
        var createdAt: Int64?
        var updatedAt: Int64?
        var depth = 0
        var expectsKey = false
        var index = line.startIndex
        /// The end of the string starting at `start` (its opening quote), past the closing quote.
        func stringEnd(from start: Int) -> Int? {
            var index = start + 1
            while index < line.endIndex {
                if line[index] == backslash {
                    index += 2
                } else if line[index] == quote {
                    return index + 1
                } else {
                    index += 1
                }
            }
            return nil
        }
        while index < line.endIndex {
            switch line[index] {
            case quote:
                guard let end = stringEnd(from: index) else { return nil }
                guard depth == 1, expectsKey else {
                    index = end
                    continue
                }
                expectsKey = false
                let key = line[(index + 1)..<(end - 1)]
                index = end
                guard
                    key.elementsEqual("_id".utf8) || key.elementsEqual("created_at".utf8)
                        || key.elementsEqual("updated_at".utf8)
                else { continue }
                guard index < line.endIndex, line[index] == UInt8(ascii: ":"), index + 1 < line.endIndex,
                    line[index + 1] == quote, let valueEnd = stringEnd(from: index + 1)
                else { return nil }
                let value = String(decoding: line[(index + 2)..<(valueEnd - 1)], as: UTF8.self)
                if key.first == UInt8(ascii: "_") {
                    id = ObjectId(hex: value)
                } else if key.first == UInt8(ascii: "c") {
                    createdAt = UTCTimestamp.seconds(iso8601: value)
                } else {
                    updatedAt = UTCTimestamp.seconds(iso8601: value)
                }
                index = valueEnd
            case UInt8(ascii: "{"):
                depth += 1
                expectsKey = depth == 1
                index += 1
            case UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","):
                expectsKey = depth == 1
                index += 1
            default:
                index += 1
            }
        }
        guard depth == 0, let id, let createdAt, let updatedAt else { return nil }
        self.id = id
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The item's key in a list sorted by `field`, as `ListPosition` keeps it.
    func sortKey(_ field: ListField) -> Int64 {
        field.positionKey(createdAt: createdAt, updatedAt: updatedAt)
    }
}
