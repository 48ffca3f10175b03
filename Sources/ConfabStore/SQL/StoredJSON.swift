import ConfabCore

/// The JSON text forms in which list-valued columns are stored, and their decoding.
/// A value that does not decode means the database was edited behind Confab's back.
enum StoredJSON {
    static func integers(_ values: [Int]) -> String {
        var writer = JSONWriter(capacity: 8 + values.count * 8)
        writer.integers(values)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func objectIds(_ values: [ObjectId]) -> String {
        JSONValue.array(values.map { .string($0.hex) }).jsonText
    }

    /// `{"name":"value",…}` with the names in byte order: a dialog's extensions.
    static func strings(_ values: [String: String]) -> String {
        JSONValue.object(
            JSONObject(members: values.keys.sorted().map { .init(key: $0, value: .string(values[$0]!)) })
        ).jsonText
    }

    /// `{"👍":[1,2]}`: each emoji with the users who reacted, in order.
    static func reactions(_ values: [Reaction]) -> String {
        JSONValue.object(
            JSONObject(
                members: values.map { .init(key: $0.emoji, value: .array($0.userIds.map { .integer(Int64($0)) })) })
        ).jsonText
    }

    static func decodeIntegers(_ text: String, column: String) throws -> [Int] {
        if let integers = scanIntegers(text) { return integers }
        guard case .array(let elements) = try parse(text, column: column) else { throw corrupt(column) }
        return try elements.map { element in
            guard let value = element.integerValue, let integer = Int(exactly: value) else { throw corrupt(column) }
            return integer
        }
    }

    /// `[1,2]`, or PostgreSQL's `[1, 2]`, read without the JSON parser: every row has several
    /// such lists. `nil` for anything else, which the parser then reads or refuses.
    static func scanIntegers(_ text: String) -> [Int]? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> [Int]? in
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "["), bytes[bytes.count - 1] == UInt8(ascii: "]") else {
                return nil
            }
            var integers = [Int]()
            var index = 1
            let end = bytes.count - 1
            func skipSpaces() { while index < end, bytes[index] == UInt8(ascii: " ") { index += 1 } }
            skipSpaces()
            if index == end { return integers }
            integers.reserveCapacity(end / 4)
            while true {
                let negative = bytes[index] == UInt8(ascii: "-")
                if negative { index += 1 }
                let start = index
                var value = 0
                while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    // 18 digits cannot overflow; longer numbers go to the parser.
                    guard index - start < 18 else { return nil }
                    value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                }
                guard index > start else { return nil }
                integers.append(negative ? -value : value)
                skipSpaces()
                if index == end { return integers }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
                skipSpaces()
                guard index < end else { return nil }
            }
        } ?? nil
    }

    static func decodeObjectIds(_ text: String, column: String) throws -> [ObjectId] {
        if text == "[]" { return [] }
        guard case .array(let elements) = try parse(text, column: column) else { throw corrupt(column) }
        return try elements.map { element in
            guard let hex = element.stringValue, let id = ObjectId(hex: hex) else { throw corrupt(column) }
            return id
        }
    }

    /// A message's attachments, kept as their text for the lists to write through.
    static func deferredObjects(_ text: String, column: String) throws -> DeferredJSON {
        guard let json = DeferredJSON(storedText: text, opening: UInt8(ascii: "["), elementOpening: UInt8(ascii: "{"))
        else { throw corrupt(column) }
        return json
    }

    /// A message's custom fields, kept as their text for the lists to write through.
    static func deferredObject(_ text: String, column: String) throws -> DeferredJSON {
        guard let json = DeferredJSON(storedText: text, opening: UInt8(ascii: "{"), elementOpening: UInt8(ascii: "\""))
        else { throw corrupt(column) }
        return json
    }

    static func decodeObject(_ text: String, column: String) throws -> JSONObject {
        if text == "{}" { return JSONObject() }
        guard case .object(let object) = try parse(text, column: column) else { throw corrupt(column) }
        return object
    }

    /// A dialog's extensions; `NULL` is none.
    static func decodeStrings(_ text: String?, column: String) throws -> [String: String] {
        guard let text else { return [:] }
        var values = [String: String]()
        for member in try decodeObject(text, column: column).members {
            guard let value = member.value.stringValue else { throw corrupt(column) }
            values[member.key] = value
        }
        return values
    }

    static func decodeReactions(_ text: String, column: String) throws -> [Reaction] {
        if text == "{}" { return [] }
        return try decodeObject(text, column: column).members.map { member in
            guard case .array(let ids) = member.value else { throw corrupt(column) }
            let userIds = try ids.map { id in
                guard let value = id.integerValue, let integer = Int(exactly: value) else { throw corrupt(column) }
                return integer
            }
            return Reaction(emoji: member.key, userIds: userIds)
        }
    }

    private static func parse(_ text: String, column: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw corrupt(column)
        }
    }

    private static func corrupt(_ column: String) -> StoreError {
        StoreError.corruptRow("column \(column) does not hold the JSON Confab wrote")
    }
}
