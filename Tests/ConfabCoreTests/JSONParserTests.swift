import Testing

@testable import ConfabCore

@Suite struct JSONParserTests {
    // MARK: Values

    @Test func scalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("\"\"") == .string(""))
        #expect(try JSONParser.parse("\"text\"") == .string("text"))
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
    }

    @Test func objectsKeepMemberOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":{"y":true,"b":null},"_id":"x"}"#)
        let object = try #require(value.objectValue)
        #expect(keys(of: object) == ["z", "a", "m", "_id"])
        #expect(object["z"] == .integer(1))
        #expect(object["a"] == .integer(2))
        #expect(object["_id"] == .string("x"))
        let inner = try #require(object["m"]?.objectValue)
        #expect(keys(of: inner) == ["y", "b"])
        #expect(inner["b"] == .null)
        #expect(object["missing"] == nil)
    }

    @Test func duplicateKeysAreKeptInOrder() throws {
        let object = try #require(try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#).objectValue)
        #expect(keys(of: object) == ["a", "b", "a"])
        #expect(object.members.map(\.value) == [.integer(1), .integer(2), .integer(3)])
    }

    @Test func arraysKeepElementOrderAndMixedTypes() throws {
        let value = try JSONParser.parse(#"[3,"two",1.5,null,false,[],{}]"#)
        #expect(
            value
                == .array([
                    .integer(3), .string("two"), .number(1.5), .null, .bool(false), .array([]),
                    .object(JSONObject()),
                ]))
    }

    @Test func whitespaceAroundTokensIsAllowed() throws {
        let value = try JSONParser.parse(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] , \"b\" : { } }\r\n ")
        #expect(value == .object(["a": .array([.integer(1), .integer(2)]), "b": .object(JSONObject())]))
    }

    // MARK: Numbers

    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("1", 1), ("-1", -1), ("42", 42), ("1645095709", 1_645_095_709),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
    ])
    func integersStayIntegers(text: String, expected: Int64) throws {
        #expect(try JSONParser.parse(text) == .integer(expected))
    }

    @Test(arguments: [
        ("1.0", 1.0), ("1.5", 1.5), ("-0.25", -0.25), ("0.1", 0.1), ("1e2", 100.0), ("1E2", 100.0),
        ("1e+2", 100.0), ("1e-2", 0.01), ("-1.5E-3", -0.0015), ("0e0", 0.0),
        ("1.7976931348623157e308", .greatestFiniteMagnitude),
        // An integer beyond Int64 becomes a floating-point number rather than failing.
        ("9223372036854775808", 9_223_372_036_854_775_808.0), ("-9223372036854775809", -9_223_372_036_854_775_809.0),
        ("123456789012345678901234567890", 1.2345678901234568e29),
    ])
    func floatsAreNumbers(text: String, expected: Double) throws {
        #expect(try JSONParser.parse(text) == .number(expected))
    }

    @Test func integerAndFloatWithTheSameValueDiffer() throws {
        #expect(try JSONParser.parse("1") != JSONParser.parse("1.0"))
        #expect(try JSONParser.parse("[1,1.0]") == .array([.integer(1), .number(1.0)]))
    }

    @Test(arguments: [
        "01", "-01", "00", "[01]", "{\"a\":00}", "0123",  // leading zeros
        "+1", "-", "--1", ".5", "-.5", "1.", "1.e5", "1e", "1e+", "1e-", "0x10", "1_000",
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400",
    ])
    func rejectsMalformedNumbers(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    // MARK: Strings

    @Test func simpleEscapes() throws {
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try JSONParser.parse(#""say \"hi\"""#) == .string("say \"hi\""))
        #expect(try JSONParser.parse(#""C:\\temp""#) == .string("C:\\temp"))
    }

    @Test(arguments: [
        (#""\u0041""#, "A"), (#""\u00e9""#, "é"), (#""\u00E9""#, "é"), (#""\u20ac""#, "€"),
        (#""\u0000""#, "\u{0}"), (#""\u001f""#, "\u{1F}"), (#""\u007f""#, "\u{7F}"), (#""\uffff""#, "\u{FFFF}"),
        (#""\u041f\u0440\u0438\u0432\u0435\u0442""#, "Привет"),
        // Surrogate pairs, either case.
        (#""\ud83d\ude00""#, "😀"), (#""\uD83D\uDE00""#, "😀"), (#""\ud83d\udc4d""#, "👍"),
        (#""\ud800\udc00""#, "\u{10000}"), (#""\udbff\udfff""#, "\u{10FFFF}"),
        (#""a\ud83c\udf89b""#, "a🎉b"),
    ])
    func unicodeEscapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test func rawNonASCIIAndEmojiPassThrough() throws {
        let text = "Ça marche 👍 — Привет! 🎉 日本語 👨‍👩‍👧"
        #expect(try JSONParser.parse("\"\(text)\"") == .string(text))
        #expect(try JSONParser.parse(Array("{\"\(text)\":1}".utf8)) == .object([text: .integer(1)]))
    }

    @Test func escapedAndRawFormsAgree() throws {
        #expect(try JSONParser.parse(#""\u00c7a \ud83d\udc4d""#) == JSONParser.parse("\"Ça 👍\""))
    }

    @Test(arguments: [
        #""\ud83d""#,  // high surrogate alone
        #""\ud83dx""#,
        #""\ud83d\u0041""#,  // high surrogate then not a low one
        #""\ud83d\ud83d""#,
        #""\ude00""#,  // low surrogate alone
        #""\ude00\ud83d""#,  // pair in the wrong order
        #""\udfff""#,
        #""\ud83d\""#,
    ])
    func rejectsLoneSurrogates(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test(arguments: [
        "\"abc", "\"", "[\"abc]", "{\"a", "{\"a\":\"b}",  // unterminated
        #""abc\"#, #""\u12""#, #""\u12G4""#, #""\u""#, #""\x41""#, #""\a""#, #""\U0041""#, #""\'""#,  // bad escapes
        "'single'",
    ])
    func rejectsBrokenStrings(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsRawControlCharactersInStrings() throws {
        for byte in UInt8(0)..<0x20 {
            let bytes: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "a"), byte, UInt8(ascii: "b"), UInt8(ascii: "\"")]
            #expect(throws: JSONParser.SyntaxError.self, "byte \(byte)") { try JSONParser.parse(bytes) }
        }
        // DEL is not a control character for JSON.
        #expect(try JSONParser.parse([0x22, 0x7F, 0x22]) == .string("\u{7F}"))
    }

    @Test(
        arguments: [
            [0x22, 0xFF, 0x22],  // never valid in UTF-8
            [0x22, 0x61, 0x80, 0x22],  // lone continuation byte
            [0x22, 0xC3, 0x22],  // truncated two-byte sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8-encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0xFF],  // outside a string
            [0x5B, 0xFE, 0x5D],
            [0xEF, 0xBB, 0xBF, 0x31],  // byte order mark
        ] as [[UInt8]])
    func rejectsNonUTF8Bytes(bytes: [UInt8]) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(bytes) }
    }

    // MARK: Structure

    @Test(arguments: [
        "", " ", "[1,]", "[1,2,]", "{\"a\":1,}", "{\"a\":1,\"b\":2,}", "[,1]", "{,}", "[1 2]", "{\"a\":1 \"b\":2}",
        "{\"a\" 1}", "{\"a\":}", "{a:1}", "{1:1}", "{null:1}", "[", "]", "{", "}", "[1", "{\"a\":1", "[}", "{]",
        "1 2", "{} {}", "[] x", "nul", "tru", "True", "FALSE", "Null", "nulll", "undefined", "// comment\n1",
        "/* c */ 1", "[1] // c",
    ])
    func rejectsInvalidStructure(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func errorsCarryTheOffset() throws {
        let trailing = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("[1,]") }
        #expect(trailing?.offset == 3)
        let key = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(#"{"a":1,}"#) }
        #expect(key?.offset == 7)
        let garbage = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("true x") }
        #expect(garbage?.offset == 5)
        let unterminated = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("\"abc") }
        #expect(unterminated?.offset == 4)
        let leadingZero = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("[01]") }
        #expect(leadingZero?.offset == 2)
        #expect(garbage?.description.contains("byte 5") == true)
    }

    // MARK: Depth

    static func nestedArrays(_ depth: Int, innermost: String = "") -> String {
        String(repeating: "[", count: depth) + innermost + String(repeating: "]", count: depth)
    }

    static func nestedObjects(_ depth: Int) -> String {
        String(repeating: "{\"a\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
    }

    @Test func nestingUpToSixtyFourLevelsIsAccepted() throws {
        #expect(JSONParser.maximumDepth == 64)
        var value = try JSONParser.parse(Self.nestedArrays(64))
        var levels = 0
        while case .array(let elements) = value {
            levels += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(levels == 64)
        #expect(try JSONParser.parse(Self.nestedObjects(64)).objectValue != nil)
        #expect(try JSONParser.parse(Self.nestedArrays(63, innermost: "1")).arrayValue != nil)
    }

    @Test func nestingDeeperThanSixtyFourIsRejected() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Self.nestedArrays(65)) }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Self.nestedObjects(65)) }
        // Levels are containers: a scalar inside the 64th is fine, a 65th container is not.
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Self.nestedArrays(65, innermost: "1")) }
        #expect(throws: Never.self) { try JSONParser.parse(Self.nestedArrays(64, innermost: "1")) }
        let mixed = String(repeating: "[{\"k\":", count: 33) + "1" + String(repeating: "}]", count: 33)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(mixed) }
        // Hostile depth fails cleanly instead of exhausting the stack.
        let error = #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse(Self.nestedArrays(200_000))
        }
        #expect(error?.reason.contains("64") == true)
        #expect(error?.offset == 64)
    }

    @Test func parsesTheReferenceMessageExample() throws {
        let text = """
            {"_id":"63834bbecf1efb102da40f2c","chat_dialog_id":"61721539107bd9002fdb84ed",\
            "message":"Warning! People are coming! Right Now. By Http","date_sent":1669548990,\
            "sender_id":4980089,"recipient_id":4997495,"created_at":"2022-11-27T11:36:31Z",\
            "updated_at":"2022-11-27T11:36:31Z","read_ids":[4980089],"delivered_ids":[4980089],\
            "userExtraData":null,"mission":"take over the planet","name":"intel",\
            "attachments":[{"type":"image","id":"3004"}],"reactions":null,"views_count":0,"edited_at":null,"read":0}
            """
        let object = try #require(try JSONParser.parse(text).objectValue)
        #expect(
            keys(of: object) == [
                "_id", "chat_dialog_id", "message", "date_sent", "sender_id", "recipient_id", "created_at",
                "updated_at", "read_ids", "delivered_ids", "userExtraData", "mission", "name", "attachments",
                "reactions", "views_count", "edited_at", "read",
            ])
        #expect(object["date_sent"] == .integer(1_669_548_990))
        #expect(object["read_ids"] == .array([.integer(4_980_089)]))
        #expect(object["attachments"] == .array([.object(["type": .string("image"), "id": .string("3004")])]))
        #expect(object["userExtraData"] == .null)
    }

}
