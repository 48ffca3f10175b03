import ConfabCore
import Testing

@testable import ConfabRequests

@Suite struct FormURLDecoderTests {
    static func decode(_ text: String) throws -> [FormParameter] {
        try FormURLDecoder.decode(Array(text.utf8))
    }

    static func pairs(_ text: String) throws -> [[String]] {
        try decode(text).map { [$0.name, $0.value] }
    }

    static func errors(_ bytes: [UInt8]) -> ParameterErrors? {
        do {
            let parameters = try FormURLDecoder.decode(bytes)
            Issue.record("expected an error, decoded \(parameters)")
            return nil
        } catch {
            return error as? ParameterErrors
        }
    }

    @Test func decodesPairsInOrder() throws {
        #expect(try Self.pairs("limit=50&skip=100") == [["limit", "50"], ["skip", "100"]])
        #expect(try Self.decode("a=1") == [FormParameter(name: "a", value: "1")])
    }

    @Test func emptyInputHasNoParameters() throws {
        #expect(try Self.decode("").isEmpty)
        #expect(try Self.decode("&").isEmpty)
        #expect(try Self.decode("&&&").isEmpty)
    }

    @Test func plusIsASpaceAndEncodedPlusIsAPlus() throws {
        #expect(try Self.pairs("q=hello+world&r=a%2Bb&s=+") == [["q", "hello world"], ["r", "a+b"], ["s", " "]])
        #expect(try Self.pairs("two+words=x") == [["two words", "x"]])
        #expect(try Self.pairs("q=%20") == [["q", " "]])
    }

    @Test func percentEscapesDecodeEitherCase() throws {
        #expect(try Self.pairs("a=%41%62%2f%2F") == [["a", "Ab//"]])
        #expect(try Self.pairs("euro=%E2%82%AC&e=%c3%a9") == [["euro", "€"], ["e", "é"]])
        #expect(try Self.pairs("emoji=%F0%9F%91%8D") == [["emoji", "👍"]])
        #expect(try Self.pairs("pct=100%25") == [["pct", "100%"]])
    }

    @Test func bracketedNamesDecode() throws {
        #expect(
            try Self.pairs("_id%5Blt%5D=620e2b1463ee2a1977b4ee65&updated_at%5bgte%5d=1")
                == [["_id[lt]", "620e2b1463ee2a1977b4ee65"], ["updated_at[gte]", "1"]])
        // Already literal brackets (as curl -d sends them) stay as they are.
        #expect(try Self.pairs("updated_at[lt]=1687886581") == [["updated_at[lt]", "1687886581"]])
    }

    @Test func pairsWithoutEqualsHaveAnEmptyValue() throws {
        #expect(try Self.pairs("flag&x=1&other") == [["flag", ""], ["x", "1"], ["other", ""]])
        #expect(try Self.pairs("limit=") == [["limit", ""]])
    }

    @Test func onlyTheFirstEqualsSeparates() throws {
        #expect(try Self.pairs("a=b=c&d==") == [["a", "b=c"], ["d", "="]])
    }

    @Test func encodedSeparatorsAreData() throws {
        #expect(try Self.pairs("a%3Db=c%26d") == [["a=b", "c&d"]])
    }

    @Test func emptyPiecesAreSkipped() throws {
        #expect(try Self.pairs("&&a=1&&b=2&") == [["a", "1"], ["b", "2"]])
    }

    @Test func repeatsAreKeptInOrder() throws {
        #expect(try Self.pairs("a=1&b=2&a=3&a=1") == [["a", "1"], ["b", "2"], ["a", "3"], ["a", "1"]])
    }

    @Test func acceptsAnyByteCollection() throws {
        let text = "x=1&y=%7E"
        #expect(try FormURLDecoder.decode(text.utf8).map(\.value) == ["1", "~"])
        #expect(try FormURLDecoder.decode(Array(text.utf8)[2...]).map(\.name) == ["1", "y"])
    }

    @Test(arguments: [
        ("limit=%", "limit"), ("limit=%4", "limit"), ("limit=5%", "limit"), ("limit=%zz", "limit"),
        ("limit=%G1", "limit"),
        ("limit=%+1", "limit"), ("limit=%-1", "limit"),
        ("limit=%FF", "limit"),  // not UTF-8
        ("limit=%C3", "limit"),  // truncated sequence
        ("limit=%C0%AF", "limit"),  // overlong
        ("limit=%ED%A0%80", "limit"),  // encoded surrogate
        ("limit=%80", "limit"),  // continuation byte alone
        ("_id%5Blt%5D=%FF", "_id[lt]"),  // the decoded name names a bad value
    ])
    func badValuesNameTheParameter(text: String, parameter: String) throws {
        let errors = try #require(Self.errors(Array(text.utf8)))
        #expect(errors.entries.map(\.parameter) == [parameter])
        #expect(errors.messages(for: parameter) == ["value is not valid percent-encoded UTF-8"])
    }

    @Test(arguments: ["%FF=1", "bad%ZZname=1", "%=1", "x%E2%82=1", "flag%"])
    func badNamesAreReportedAsWritten(text: String) throws {
        let errors = try #require(Self.errors(Array(text.utf8)))
        let rawName = String(text.split(separator: "=").first ?? "")
        #expect(errors.entries.map(\.parameter) == [rawName])
        #expect(errors.messages(for: rawName) == ["is not valid percent-encoded UTF-8"])
    }

    @Test func rawNonUTF8BytesAreRefused() throws {
        let errors = try #require(Self.errors(Array("name=".utf8) + [0xFF, 0x61]))
        #expect(errors.entries.map(\.parameter) == ["name"])
    }

    @Test func everyBadPairIsReportedAndNothingIsReturned() throws {
        let errors = try #require(Self.errors(Array("a=%FF&ok=1&c=%&d=%C3%A9&e=%4".utf8)))
        #expect(errors.entries.map(\.parameter) == ["a", "c", "e"])
        #expect(errors.description.contains("a: value is not valid percent-encoded UTF-8"))
    }
}
