import ConfabCore
import ConfabRequests
import Testing

@Suite("Form parameters nested by their brackets")
struct NestedParametersTests {
    private func nest(_ query: String) throws -> JSONObject {
        try NestedParameters.nest(FormURLDecoder.decode(Array(query.utf8)))
    }

    @Test("objects, arrays and index-keyed objects, as a JSON body would carry them")
    func shapes() throws {
        let object = try nest(
            "user[login]=a&user[password]=b&ids[]=1&ids[]=2&attachments[0][type]=image&attachments[1][type]=file&plain=x"
        )
        #expect(object["user"] == .object(["login": .string("a"), "password": .string("b")]))
        #expect(object["ids"] == .array([.string("1"), .string("2")]))
        #expect(
            object["attachments"]
                == .object([
                    "0": .object(["type": .string("image")]), "1": .object(["type": .string("file")]),
                ]))
        #expect(object["plain"] == .string("x"))
    }

    @Test("a name given twice, a value used as a container, or a broken name is refused, naming it")
    func refusals() {
        for (query, name) in [
            ("a=1&a=2", "a"), ("a=1&a[b]=2", "a[b]"), ("a[b]=1&a=2", "a"), ("[x]=1", "[x]"), ("a[b=1", "a[b"),
            ("a[]=1&a[x]=2", "a[x]"),
        ] {
            #expect(throws: ParameterErrors.self, "\(query)") { try nest(query) }
            do {
                _ = try nest(query)
            } catch let error as ParameterErrors {
                #expect(!error.messages(for: name).isEmpty, "\(query): \(error)")
            } catch {
                Issue.record("\(query): \(error)")
            }
        }
    }

    @Test("depth, elements, parameters, names and values are bounded, each failure naming its limit")
    func limits() throws {
        let limits = InputLimits.standard
        let ten = "a" + String(repeating: "[b]", count: limits.maximumDepth - 1) + "=1"
        #expect(throws: Never.self) { try nest(ten) }
        let eleven = "a" + String(repeating: "[b]", count: limits.maximumDepth) + "=1"
        #expect(throws: ParameterErrors.self) { try nest(eleven) }
        // 60,000 levels are refused by the name's length, never by recursion.
        let deep = "a" + String(repeating: "[a]", count: 60_000) + "=1"
        #expect(throws: ParameterErrors.self) { try nest(deep) }

        // Parameters are counted before any is decoded.
        let thousand = (0..<1_000).map { "p\($0)=1" }.joined(separator: "&")
        #expect(try FormURLDecoder.decode(Array(thousand.utf8)).count == 1_000)
        #expect(throws: RequestInputError.tooLarge("A request may have at most 1000 parameters")) {
            try FormURLDecoder.decode(Array((thousand + "&x=1").utf8))
        }
        #expect(throws: RequestInputError.self) {
            try FormURLDecoder.decode(Array("x=1".utf8), alreadyRead: 1_000)
        }
        // Arrays of at most 1,000 elements, objects of at most 1,000 members.
        let small = InputLimits(maximumElements: 3)
        #expect(throws: Never.self) {
            try NestedParameters.nest(FormURLDecoder.decode(Array("a[]=1&a[]=2&a[]=3".utf8)), limits: small)
        }
        #expect(throws: ParameterErrors.self) {
            try NestedParameters.nest(FormURLDecoder.decode(Array("a[]=1&a[]=2&a[]=3&a[]=4".utf8)), limits: small)
        }
        #expect(throws: ParameterErrors.self) {
            try NestedParameters.nest(FormURLDecoder.decode(Array("o[a]=1&o[b]=2&o[c]=3&o[d]=4".utf8)), limits: small)
        }
        // Names and values: an 800 KB name is quoted back in at most 64 bytes.
        do {
            _ = try FormURLDecoder.decode(Array((String(repeating: "n", count: 800_000) + "=1").utf8))
            Issue.record("an 800 KB name was accepted")
        } catch let error as ParameterErrors {
            #expect(error.entries.count == 1)
            #expect(error.entries[0].parameter.utf8.count <= 66)
            #expect(error.entries[0].messages == ["is a parameter name longer than 256 bytes (the limit)"])
        }
        #expect(throws: ParameterErrors.self) {
            try FormURLDecoder.decode(Array(("v=" + String(repeating: "x", count: 131_073)).utf8))
        }
    }

    @Test("nesting many parameters is linear: 1,000 members of one object, 1,000 elements of one array")
    func manyParametersOneContainer() throws {
        let members = (0..<1_000).map { "o[k\($0)]=\($0)" }.joined(separator: "&")
        #expect(try nest(members)["o"]?.objectValue?.members.count == 1_000)
        let elements = Array(repeating: "a[]=1", count: 1_000).joined(separator: "&")
        #expect(try nest(elements)["a"]?.arrayValue?.count == 1_000)
    }
}
