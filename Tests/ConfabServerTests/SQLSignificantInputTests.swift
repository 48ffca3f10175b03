import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import Testing

/// Strings that mean something to SQL or to a database's text handling, in every parameter of
/// both admin lists and in message text and custom fields: each is refused with a 422 that
/// changes nothing, or stored and returned byte for byte. On every store.
@Suite("SQL-significant input")
struct SQLSignificantInputTests {
    /// (what it is, the value). Each reaches the server percent-encoded, so exactly these bytes arrive.
    static let values: [(String, String)] = [
        ("single quote", "it's"),
        ("quote breaking out", "' OR '1'='1"),
        ("statement", "'; DROP TABLE messages; --"),
        ("double quotes", #""id" = "id""#),
        ("semicolon", ";"),
        ("comment", "-- x"),
        ("block comment", "/* x */"),
        ("backslash", #"\'\\"#),
        ("LIKE wildcards", "%_%"),
        ("placeholder", "$1 ? :name"),
        ("cast", "1::jsonb"),
        ("JSON", #"{"$gt":""}"#),
        ("line separators", "a\u{2028}b\r\nc\td"),
        ("combining accent", "e\u{301}"),
        ("emoji", "🧪👩‍🔬"),
        ("very long", String(repeating: "'; --", count: 12_000)),
    ]

    /// Every parameter of the two admin lists.
    static let adminParameters: [(String, String)] = {
        var parameters: [(String, String)] = []
        for path in ["/admin/chat/list", "/admin/chat/messages/list"] {
            var names = ["_id", "skip", "limit", "offset", "sort_asc", "sort_desc"]
            for field in ["_id", "created_at", "updated_at"] {
                names += ["lt", "lte", "gt", "gte"].map { "\(field)[\($0)]" }
            }
            if path.hasSuffix("messages/list") { names.append("chat_dialog_id") }
            parameters += names.map { (path, $0) }
        }
        return parameters
    }()

    @Test("in every admin list parameter: a 422 naming it, and nothing changes", arguments: StoreKind.available)
    func adminParameters(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            _ = try await Self.group(api)
            let before = try await api.adminSnapshot()
            let values = Self.values.map(\.1) + ["\u{0}", "a\u{0}'"]
            for (path, name) in Self.adminParameters {
                for value in values {
                    let query = "\(Self.percentEncoded(name))=\(Self.percentEncoded(value))"
                    let response = try await api.send(.get, "\(path)?\(query)", admin: true)
                    #expect(response.status == .unprocessableContent, "\(path) \(name)=\(value.prefix(40))")
                    #expect(!response.errors(for: name).isEmpty, "\(path) \(name): \(response.text.prefix(300))")
                }
                // Bytes that are not UTF-8 once percent-decoded.
                let broken = try await api.send(.get, "\(path)?\(Self.percentEncoded(name))=%FF%FE%27", admin: true)
                #expect(broken.status == .unprocessableContent, "\(path) \(name) with non-UTF-8")
                #expect(!broken.errors(for: name).isEmpty, "\(broken.text)")
            }
            // As a parameter's name, too.
            for (_, value) in Self.values.prefix(8) {
                let response = try await api.send(
                    .get, "/admin/chat/list?\(Self.percentEncoded(value))=1", admin: true)
                #expect(response.status == .unprocessableContent, "\(value)")
                #expect(!response.errors(for: value).isEmpty, "\(response.text)")
            }
            #expect(try await api.adminSnapshot() == before)
        }
    }

    @Test("in message text and custom fields: stored and returned byte for byte", arguments: StoreKind.available)
    func messageContent(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let (alice, dialogId) = try await Self.group(api)
            var sent: [String: (text: String, key: String, value: String)] = [:]
            for (index, (_, value)) in Self.values.enumerated() {
                let key = "f\(index)" + String(value.prefix(40))
                let body = JSONValue.object([
                    "chat_dialog_id": .string(dialogId), "message": .string(value), key: .string(value),
                ]).jsonText
                let response = try await api.send(.post, "/chat/Message", token: alice.token, json: body)
                #expect(response.status == .created, "\(value.prefix(40)): \(response.text.prefix(300))")
                let id = try #require(response.object?.string("_id"))
                sent[id] = (value, key, value)
            }
            // The same through a form body: percent-encoded, as a browser sends it.
            let form =
                "chat_dialog_id=\(dialogId)&message=\(Self.percentEncoded(Self.values[2].1))"
                + "&\(Self.percentEncoded("q'uote"))=\(Self.percentEncoded(Self.values[1].1))"
            let formResponse = try await api.send(.post, "/chat/Message", token: alice.token, form: form)
            #expect(formResponse.status == .created, "\(formResponse.text)")
            sent[try #require(formResponse.object?.string("_id"))] = (Self.values[2].1, "q'uote", Self.values[1].1)

            var listed: [String: JSONObject] = [:]
            var skip = 0
            while true {
                let page = try await api.send(
                    .get, "/admin/chat/messages/list?limit=100&skip=\(skip)", admin: true)
                let items = page.object?["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
                for item in items { listed[item.string("_id") ?? ""] = item }
                if items.count < 100 { break }
                skip += 100
            }
            #expect(listed.count == sent.count)
            for (id, expected) in sent {
                let item = try #require(listed[id], "message \(id) is listed")
                #expect(item.string("message").map { Array($0.utf8) } == Array(expected.text.utf8))
                #expect(item.string(expected.key).map { Array($0.utf8) } == Array(expected.value.utf8))
            }
        }
    }

    @Test("what no database keeps intact is a 422 that writes nothing", arguments: StoreKind.available)
    func refusedContent(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let (alice, dialogId) = try await Self.group(api)
            let before = try await api.adminSnapshot()
            let cases: [(String, String, String)] = [
                (
                    "NUL in text",
                    JSONValue.object(["chat_dialog_id": .string(dialogId), "message": .string("a\u{0}b")]).jsonText,
                    "message"
                ),
                (
                    "NUL in a custom field",
                    JSONValue.object([
                        "chat_dialog_id": .string(dialogId), "message": .string("m"), "extra": .string("a\u{0}"),
                    ]).jsonText, "extra"
                ),
                (
                    "NUL deep in a custom field",
                    JSONValue.object([
                        "chat_dialog_id": .string(dialogId), "message": .string("m"),
                        "extra": .object(["k": .array([.string("\u{0}")])]),
                    ]).jsonText, "extra"
                ),
                (
                    "text over 64 KiB",
                    JSONValue.object([
                        "chat_dialog_id": .string(dialogId), "message": .string(String(repeating: "'", count: 65_537)),
                    ]).jsonText, "message"
                ),
            ]
            for (what, body, parameter) in cases {
                let response = try await api.send(.post, "/chat/Message", token: alice.token, json: body)
                #expect(response.status == .unprocessableContent, "\(what): \(response.text.prefix(200))")
                #expect(!response.errors(for: parameter).isEmpty, "\(what): \(response.text.prefix(200))")
            }
            let broken = try await api.send(
                .post, "/chat/Message", token: alice.token, form: "chat_dialog_id=\(dialogId)&message=%FF%27%3B")
            #expect(broken.status == .unprocessableContent, "\(broken.text)")
            #expect(!broken.errors(for: "message").isEmpty, "\(broken.text)")
            #expect(try await api.adminSnapshot() == before)
        }
    }

    /// Alice, signed in, and a group dialog of hers with Bob.
    static func group(_ api: ChatAPITestClient) async throws -> (ChatUserSession, String) {
        let alice = try await api.signUp("alice")
        let bob = try await api.signUp("bob")
        let created = try await api.send(
            .post, "/chat/Dialog", token: alice.token, json: #"{"type":2,"name":"x","occupants_ids":[\#(bob.id)]}"#)
        return (alice, try #require(created.object?.string("_id"), "\(created.text)"))
    }

    /// Every byte but unreserved ASCII as %XX, so the server sees exactly `text`'s UTF-8.
    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
