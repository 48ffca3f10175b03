import Testing

@testable import ConfabCore

@Suite struct JSONWriterTests {
    static func text(_ write: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        write(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    // MARK: Structure

    @Test func writesCommasOnlyBetweenMembersAndElements() {
        let output = Self.text { writer in
            writer.beginObject()
            writer.key("a")
            writer.integer(1)
            writer.key("b")
            writer.beginArray()
            writer.integer(1)
            writer.beginObject()
            writer.endObject()
            writer.beginArray()
            writer.endArray()
            writer.string("x")
            writer.endArray()
            writer.key("c")
            writer.beginObject()
            writer.key("d")
            writer.null()
            writer.endObject()
            writer.key("e")
            writer.bool(true)
            writer.endObject()
        }
        #expect(output == #"{"a":1,"b":[1,{},[],"x"],"c":{"d":null},"e":true}"#)
    }

    @Test func emptyContainers() {
        #expect(
            Self.text {
                $0.beginObject(); $0.endObject()
            } == "{}")
        #expect(
            Self.text {
                $0.beginArray(); $0.endArray()
            } == "[]")
        #expect(Self.text { $0.integers([]) } == "[]")
    }

    @Test func scalars() {
        #expect(Self.text { $0.null() } == "null")
        #expect(Self.text { $0.bool(false) } == "false")
        #expect(Self.text { $0.integer(Int64.min) } == "-9223372036854775808")
        #expect(Self.text { $0.integer(UInt64.max) } == "18446744073709551615")
        #expect(Self.text { $0.integer(UInt8(7)) } == "7")
        #expect(Self.text { $0.integers([32241, 32242, -1]) } == "[32241,32242,-1]")
        #expect(Self.text { $0.string("") } == #""""#)
    }

    @Test func floatingPointNumbersStayFloatingPoint() {
        #expect(Self.text { $0.number(1.5) } == "1.5")
        #expect(Self.text { $0.number(1.0) } == "1.0")
        #expect(Self.text { $0.number(-0.25) } == "-0.25")
        #expect(Self.text { $0.number(1e300) } == "1e+300")
        // JSON has no NaN or infinity.
        #expect(Self.text { $0.number(.nan) } == "null")
        #expect(Self.text { $0.number(.infinity) } == "null")
        #expect(Self.text { $0.number(-.infinity) } == "null")
    }

    @Test func idsAndTimestampsAreQuotedStrings() {
        let id = objectId("620E2B1463EE2A1977B4EE65")
        let output = Self.text { writer in
            writer.beginArray()
            writer.objectId(id)
            writer.timestamp(1_645_095_709)
            writer.objectId(id)
            writer.endArray()
        }
        #expect(output == #"["620e2b1463ee2a1977b4ee65","2022-02-17T11:01:49Z","620e2b1463ee2a1977b4ee65"]"#)
    }

    @Test func membersWriteNullForNil() {
        let output = Self.text { writer in
            writer.beginObject()
            writer.member("a", Int?.none)
            writer.member("b", Int?.some(5))
            writer.member("c", String?.none)
            writer.member("d", String?.some("x"))
            writer.member("e", ObjectId?.none)
            writer.member("f", [1, 2])
            writer.member("g", true)
            writer.nullMember("h")
            writer.member("i", timestamp: 0)
            writer.endObject()
        }
        #expect(
            output
                == #"{"a":null,"b":5,"c":null,"d":"x","e":null,"f":[1,2],"g":true,"h":null,"i":"1970-01-01T00:00:00Z"}"#
        )
    }

    @Test func membersWritesIntoTheOpenObjectInOrder() {
        let custom: JSONObject = [
            "userExtraData": .null, "mission": .string("take over the planet"), "name": .string("intel"),
        ]
        let output = Self.text { writer in
            writer.beginObject()
            writer.key("first")
            writer.integer(1)
            writer.members(of: custom)
            writer.key("last")
            writer.integer(2)
            writer.endObject()
        }
        #expect(
            output == #"{"first":1,"userExtraData":null,"mission":"take over the planet","name":"intel","last":2}"#)
        #expect(
            Self.text {
                $0.beginObject(); $0.members(of: JSONObject()); $0.endObject()
            } == "{}")
    }

    // MARK: Escaping

    @Test func escapesQuotesBackslashesAndShortControls() {
        #expect(Self.text { $0.string("say \"hi\"") } == #""say \"hi\"""#)
        #expect(Self.text { $0.string("C:\\temp\\") } == #""C:\\temp\\""#)
        #expect(Self.text { $0.string("a\nb\rc\td") } == #""a\nb\rc\td""#)
        #expect(Self.text { $0.string("a/b") } == #""a/b""#)
    }

    @Test func escapesEveryControlCharacter() throws {
        for scalar in UInt8(0)..<0x20 {
            let output = Self.text { $0.string(String(Character(Unicode.Scalar(scalar)))) }
            let expected: String
            switch scalar {
            case 0x0A: expected = #""\n""#
            case 0x0D: expected = #""\r""#
            case 0x09: expected = #""\t""#
            default:
                let hex = String(scalar, radix: 16)
                expected = "\"\\u00" + (hex.count == 1 ? "0" : "") + hex + "\""
            }
            #expect(output == expected)
            #expect(!output.utf8.contains { $0 < 0x20 })
            #expect(try JSONParser.parse(output) == .string(String(Character(Unicode.Scalar(scalar)))))
        }
        #expect(Self.text { $0.string("\u{0}\u{1F}\u{08}\u{0C}") } == #""\u0000\u001f\u0008\u000c""#)
    }

    /// Every byte that needs an escape gets it, wherever it falls, next to any other, in text of
    /// any length, with multi-byte characters around it.
    @Test func escapesWhereverTheByteFallsInAWord() throws {
        var random = SeededRandomNumberGenerator(seed: 8)
        let pieces = ["a", "é", "🚗", "\"", "\\", "\n", "\u{1}", "\u{1F}", " ", "~", "\u{7F}", "ÿ", "/", "!", "#"]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...40, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            var expected = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": expected += "\\\""
                case "\\": expected += "\\\\"
                case "\n": expected += "\\n"
                case "\r": expected += "\\r"
                case "\t": expected += "\\t"
                case "\u{0}"..."\u{1F}":
                    let hex = String(scalar.value, radix: 16)
                    expected += "\\u00" + (hex.count == 1 ? "0" : "") + hex
                default: expected.unicodeScalars.append(scalar)
                }
            }
            expected += "\""
            let output = Self.text { $0.string(text) }
            #expect(output == expected)
            #expect(try JSONParser.parse(output) == .string(text))
        }
    }

    @Test func keysAreEscapedToo() {
        let output = Self.text { writer in
            writer.beginObject()
            writer.key("a\"b\n")
            writer.integer(1)
            writer.endObject()
        }
        #expect(output == #"{"a\"b\n":1}"#)
    }

    @Test func nonASCIIAndEmojiAreWrittenAsUTF8() {
        let text = "Ça marche 👍 — Привет! 🎉 \u{2028} 👨‍👩‍👧"
        let output = Self.text { $0.string(text) }
        #expect(output == "\"\(text)\"")
        #expect(Array(output.utf8) == [UInt8(ascii: "\"")] + Array(text.utf8) + [UInt8(ascii: "\"")])
    }

    // MARK: JSONValue

    @Test func jsonTextIsCompactAndOrdered() {
        let value: JSONValue = .object([
            "z": .integer(1), "a": .array([.bool(true), .null, .number(2.5)]), "m": .object(["k": .string("v")]),
        ])
        #expect(value.jsonText == #"{"z":1,"a":[true,null,2.5],"m":{"k":"v"}}"#)
        #expect(JSONValue.array([]).jsonText == "[]")
        #expect(JSONValue.object(JSONObject()).jsonText == "{}")
    }

    @Test(arguments: [
        #"{"z":1,"a":[true,false,null],"m":{"x":-2.5,"y":"\u0000é\"\\\n"},"n":1.0,"e":[]}"#,
        #"[1,-1,0,9223372036854775807,-9223372036854775808,1.5,1e+300,"\ud83d\ude00"]"#,
        #"{"":{"":[{}]}}"#,
        #""\u0001\u001f\t""#,
    ])
    func parsedTextWritesBackToAValueThatParsesEqual(text: String) throws {
        let value = try JSONParser.parse(text)
        let written = value.jsonText
        #expect(try JSONParser.parse(written) == value)
        // Compact input comes back byte for byte apart from escapes the writer spells differently.
        #expect(try JSONParser.parse(written).jsonText == written)
    }

    @Test func writesTheCanonicalFormOfCompactInput() throws {
        let text = #"{"b":[1,2.5,"x\n\"q\""],"a":null,"c":{"d":true}}"#
        #expect(try JSONParser.parse(text).jsonText == text)
    }

    /// Random documents from a fixed seed: whatever the writer writes parses back to the same value.
    @Test func randomValuesRoundTrip() throws {
        var random = SeededRandomNumberGenerator(seed: 0x15_0_2025)
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &random)
            let written = value.jsonText
            let parsed = try JSONParser.parse(written)
            #expect(parsed == value, "\(written)")
            #expect(!written.utf8.contains { $0 < 0x20 })
        }
    }

    static let alphabet: [Unicode.Scalar] =
        Array("aZ09 \"\\/{}[]:,".unicodeScalars)
        + (0..<0x20).map { Unicode.Scalar(UInt8($0)) }
        + ["\u{7F}", "\u{E9}", "\u{42F}", "\u{20AC}", "\u{2028}", "\u{FFFF}", "\u{1F600}", "\u{1F44D}", "\u{10FFFF}"]

    static func randomString(using random: inout SeededRandomNumberGenerator) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            text.append(alphabet.randomElement(using: &random)!)
        }
        return String(text)
    }

    static func randomValue(depth: Int, using random: inout SeededRandomNumberGenerator) -> JSONValue {
        let kinds = depth >= 6 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .integer(Int64(bitPattern: random.next()) >> Int64.random(in: 0...63, using: &random))
        case 3:
            var number: Double
            repeat {
                number = Double(bitPattern: random.next())
            } while !number.isFinite
            return .number(
                Bool.random(using: &random) ? number : Double(Int.random(in: -1000...1000, using: &random)) / 8)
        case 4: return .string(randomString(using: &random))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                object.members.append(
                    .init(key: randomString(using: &random), value: randomValue(depth: depth + 1, using: &random)))
            }
            return .object(object)
        }
    }
}

/// Attachments and custom fields as the lists read them: kept as the stored text, written
/// through, parsed only when someone reads the value (issue 16).
@Suite("Deferred JSON")
struct DeferredJSONTests {
    static let bracket = UInt8(ascii: "["), brace = UInt8(ascii: "{"), quote = UInt8(ascii: "\"")

    @Test("stored text is written through as it is, and reads as the value it holds")
    func writtenThrough() throws {
        // Not compact, so that a parse-and-write would show: the bytes come out as stored.
        let attachments = try #require(
            DeferredJSON(
                storedText: #"[{"type":"image", "id":"]\"x"}]"#, opening: Self.bracket, elementOpening: Self.brace))
        let fields = try #require(
            DeferredJSON(storedText: #"{"b":"}", "a":[1,{}]}"#, opening: Self.brace, elementOpening: Self.quote))
        let written = JSONWriterTests.text { writer in
            writer.beginObject()
            writer.member("_id", "x")
            writer.members(of: fields)
            writer.key("attachments")
            writer.json(attachments)
            writer.endObject()
        }
        #expect(written == #"{"_id":"x","b":"}", "a":[1,{}],"attachments":[{"type":"image", "id":"]\"x"}]}"#)
        #expect(attachments.value == .array([.object(["type": .string("image"), "id": .string("]\"x")])]))
        #expect(attachments == DeferredJSON(attachments.value))
        #expect(fields.jsonText == #"{"b":"}", "a":[1,{}]}"#)

        let none = try #require(DeferredJSON(storedText: "{}", opening: Self.brace, elementOpening: Self.quote))
        #expect(
            JSONWriterTests.text {
                $0.beginObject(); $0.member("a", 1); $0.members(of: none); $0.endObject()
            } == #"{"a":1}"#)
    }

    @Test("a message changed after it was read writes its new value, not the stored text")
    func changedValue() throws {
        var message = Message(
            id: ObjectId(hex: "0123456789abcdef01234567")!, chatDialogId: ObjectId(hex: "0123456789abcdef01234568")!,
            text: "hi", dateSent: 1, senderId: 1, createdAt: 1, updatedAt: 1)
        message.attachmentsJSON = try #require(
            DeferredJSON(storedText: #"[{"id":"1"}]"#, opening: Self.bracket, elementOpening: Self.brace))
        message.customFieldsJSON = try #require(
            DeferredJSON(storedText: #"{"a":"1"}"#, opening: Self.brace, elementOpening: Self.quote))
        #expect(message.attachments == [["id": .string("1")]])
        #expect(message.customFields == ["a": .string("1")])
        message.attachments.append(["id": .string("2")])
        message.customFields = ["b": .integer(2)]
        var writer = JSONWriter()
        AdminListJSON.write(message, to: &writer)
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(
            text.contains(#""read_ids":[],"delivered_ids":[],"b":2,"attachments":[{"id":"1"},{"id":"2"}]"#), "\(text)")
    }

    @Test("text that is not one whole value of the column's shape is refused")
    func refused() {
        for text in [
            "", "[", "[{}", "[{}]]", "[{}] ", "[1]", "{}", "[{\"a\":\"}]", "[{}],[{}]", "[}", "x",
        ] {
            #expect(DeferredJSON(storedText: text, opening: Self.bracket, elementOpening: Self.brace) == nil, "\(text)")
        }
        for text in ["", "{", "[]", "{1:2}", "{\"a\":1}}", "{\"a\":\"}", "{}{}"] {
            #expect(DeferredJSON(storedText: text, opening: Self.brace, elementOpening: Self.quote) == nil, "\(text)")
        }
    }
}
