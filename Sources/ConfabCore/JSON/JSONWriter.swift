/// Appends JSON straight into a byte buffer, in the key order the caller writes.
///
/// Responses are written with it rather than `JSONEncoder` so that keys come in the reference's
/// order, `null`s are explicit, custom message fields sit at the top level, and a page costs one
/// buffer rather than a tree of boxes.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Ends a line of NDJSON: the next value starts a new top-level value.
    public mutating func lineBreak() {
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    /// Writes `"key":`; the next value written belongs to it.
    public mutating func key(_ key: String) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Scalars

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    public mutating func integer(_ value: some BinaryInteger) {
        separate()
        if let value = Int64(exactly: value) {
            appendDigits(value)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func number(_ value: Double) {
        separate()
        if value.isFinite {
            bytes.append(contentsOf: value.description.utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
        needsComma = true
    }

    public mutating func objectId(_ id: ObjectId) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 24))
        bytes.withUnsafeMutableBufferPointer { buffer in
            id.writeHex(into: UnsafeMutableBufferPointer(rebasing: buffer[start..<start + 24]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func timestamp(_ seconds: Int64) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        UTCTimestamp.appendISO8601(seconds, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    // MARK: Members: `"key":value`, `null` for a nil value

    public mutating func member(_ key: String, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }

    public mutating func member<Integer: BinaryInteger>(_ key: String, _ value: Integer?) {
        self.key(key)
        if let value { integer(value) } else { null() }
    }

    public mutating func member(_ key: String, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    public mutating func member(_ key: String, _ value: ObjectId?) {
        self.key(key)
        if let value { objectId(value) } else { null() }
    }

    public mutating func member(_ key: String, _ values: [Int]) {
        self.key(key)
        integers(values)
    }

    public mutating func member(_ key: String, _ values: [ObjectId]) {
        self.key(key)
        beginArray()
        for value in values { objectId(value) }
        endArray()
    }

    /// `"key":"2022-02-17T11:01:40Z"`.
    public mutating func member(_ key: String, timestamp seconds: Int64) {
        self.key(key)
        timestamp(seconds)
    }

    public mutating func nullMember(_ key: String) {
        self.key(key)
        null()
    }

    // MARK: Conveniences

    public mutating func integers(_ values: [Int]) {
        beginArray()
        for value in values { integer(value) }
        endArray()
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .integer(let integer): self.integer(integer)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object): self.object(object)
        }
    }

    public mutating func object(_ object: JSONObject) {
        beginObject()
        members(of: object)
        endObject()
    }

    /// Writes the members of `object` into the object currently open.
    public mutating func members(of object: JSONObject) {
        for member in object.members {
            key(member.key)
            value(member.value)
        }
    }

    /// Writes `json`: its stored text as it is, else its value.
    public mutating func json(_ json: DeferredJSON) {
        switch json.form {
        case .value(let value): self.value(value)
        case .text(let text):
            separate()
            bytes.append(contentsOf: text.utf8)
            needsComma = true
        }
    }

    /// Writes the members of the object `json` into the object currently open.
    public mutating func members(of json: DeferredJSON) {
        switch json.form {
        case .value(let value): if let object = value.objectValue { members(of: object) }
        case .text(let text):
            // `{…}` as the writer wrote it: its members are the bytes between the braces.
            let utf8 = text.utf8
            guard utf8.count > 2 else { return }
            separate()
            bytes.append(contentsOf: utf8.dropFirst().dropLast())
            needsComma = true
        }
    }

    // MARK: Internals

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// The decimal digits of `value`, without the `String` that `String(value)` makes.
    private mutating func appendDigits(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, filled from the end
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[24 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: checked over its contiguous bytes, then copied whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Compact JSON text, as stored in the database.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 64)
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
