import ConfabCore
import ConfabRequests
import Testing

/// The JSON reader under a request's bounds (`InputLimits.json`), which are stricter than those
/// stored JSON is read back with.
@Suite struct RequestJSONLimitsTests {
    private func nestedArrays(_ depth: Int, innermost: String = "") -> String {
        String(repeating: "[", count: depth) + innermost + String(repeating: "]", count: depth)
    }

    @Test func requestLimitsBoundDepthElementsKeysAndDuplicates() throws {
        let limits = InputLimits.standard.json
        #expect(throws: Never.self) { try JSONParser.parse(nestedArrays(10, innermost: "1"), limits: limits) }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(nestedArrays(11), limits: limits) }
        let thousand = "[" + Array(repeating: "1", count: 1_000).joined(separator: ",") + "]"
        #expect(try JSONParser.parse(thousand, limits: limits).arrayValue?.count == 1_000)
        #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse("[1," + thousand.dropFirst(), limits: limits)
        }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#, limits: limits) }
        // Duplicates past the first sixteen members are found through a set.
        let many = (0..<40).map { "\"k\($0)\":1" }.joined(separator: ",")
        #expect(throws: Never.self) { try JSONParser.parse("{\(many)}", limits: limits) }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("{\(many),\"k3\":2}", limits: limits) }
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse("{\(many),\"k39\":2}", limits: limits) }
        let longKey = String(repeating: "k", count: 257)
        let error = #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse("{\"\(longKey)\":1}", limits: limits)
        }
        #expect(error?.reason.contains("256 bytes") == true)
        #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse("\"\(String(repeating: "x", count: 131_073))\"", limits: limits)
        }
        // Stored JSON keeps the old leniency: what was written is read back.
        #expect(try JSONParser.parse(#"{"a":1,"a":2}"#).objectValue?.members.count == 2)
    }
}
