import ConfabCore
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
}
