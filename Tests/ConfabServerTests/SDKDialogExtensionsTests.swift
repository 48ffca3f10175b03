import ConfabCore
import ConfabTestSupport
import Testing

/// The two parts of ConnectyCube's dialog model beyond the admin list's fields: `extensions`
/// (up to three text fields a client filters its dialogs by) and `permissions.allow_preview`
/// (`GET /chat/Message?preview=1` for users who have not joined), as the SDK sends them.
@Suite("Dialog extensions and previews, as the SDK uses them")
struct SDKDialogExtensionsTests {
    /// Alice's group "Party" with Bob, created with the SDK's JSON body and two extensions.
    struct Party {
        let api: ChatAPITestClient
        let alice: ChatUserSession
        let bob: ChatUserSession
        let party: APIResponse
        let partyId: String
    }

    static func party(_ api: ChatAPITestClient) async throws -> Party {
        let alice = try await api.signUp("alice")
        let bob = try await api.signUp("bob")
        let party = try await api.send(
            .post, "/chat/Dialog.json", token: alice.token,
            json:
                #"{"type":2,"name":"Party","occupants_ids":[\#(bob.id)],"extensions":{"location":"Sun bar","floor":2}}"#
        )
        let partyId = try #require(party.object?.string("_id"), "\(party.text)")
        return Party(api: api, alice: alice, bob: bob, party: party, partyId: partyId)
    }

    @Test(
        "extensions are set as JSON or form, cast to text, shown only where set, and filtered by",
        arguments: StoreKind.available)
    func extensions(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.party(api)
            let (alice, bob) = (scene.alice, scene.bob)
            #expect(scene.party.status == .created, "\(scene.party.text)")
            #expect(scene.party.text.hasSuffix(#""silent_ids":[],"extensions":{"floor":"2","location":"Sun bar"}}"#))
            // The SDK's form encoding of the same object.
            let other = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token,
                form: "type=2&name=Other&occupants_ids=\(bob.id)&extensions%5Blocation%5D=Moon")
            #expect(other.object?["extensions"] == .object(["location": .string("Moon")]), "\(other.text)")
            let plain = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token,
                json: #"{"type":2,"name":"Plain","occupants_ids":[\#(bob.id)]}"#)
            #expect(plain.object?["extensions"] == nil && plain.object?["permissions"] == nil, "\(plain.text)")

            func listed(_ query: String) async throws -> [String] {
                let list = try await api.send(.get, "/chat/Dialog.json?\(query)", token: bob.token)
                try #require(list.status == .ok, "\(query): \(list.text)")
                return list.object?["items"]?.arrayValue?.compactMap { $0.objectValue?.string("_id") } ?? []
            }
            #expect(try await listed("extensions[location]=Sun%20bar") == [scene.partyId])
            #expect(try await listed("extensions%5Blocation%5D=Sun%20bar&extensions%5Bfloor%5D=2") == [scene.partyId])
            #expect(try await listed("extensions[location]=Sun%20bar&extensions[floor]=3") == [])
            #expect(try await listed("extensions[location]=sun%20bar") == [], "matched exactly")
            let count = try await api.send(
                .get, "/chat/Dialog.json?extensions[location]=Moon&count=1", token: bob.token)
            #expect(count.text == #"{"items_count":1}"#)
            let badName = try await api.send(.get, "/chat/Dialog.json?extensions[no-dash]=x", token: bob.token)
            #expect(badName.status == .unprocessableContent)
            #expect(badName.errors(for: "extensions[no-dash]").first?.hasPrefix("extension names are") == true)

            // The admin list shows them where set, and refuses them as a filter it does not know.
            let admin = try await api.adminDialogs()
            #expect(admin[scene.partyId]?["extensions"] == scene.party.object?["extensions"])
            #expect(admin[try #require(plain.object?.string("_id"))]?["extensions"] == nil)
            let adminFilter = try await api.send(.get, "/admin/chat/list?extensions[location]=Moon", admin: true)
            #expect(adminFilter.status == .unprocessableContent)
            #expect(adminFilter.errors(for: "extensions[location]").isEmpty == false, "\(adminFilter.text)")
        }
    }

    @Test(
        "the owner changes extensions, null removes one, and a dialog holds at most three",
        arguments: StoreKind.available)
    func extensionChanges(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.party(api)
            let path = "/chat/Dialog/\(scene.partyId).json"
            let byMember = try await api.send(
                .put, path, token: scene.bob.token, json: #"{"extensions":{"floor":null}}"#)
            #expect(byMember.status == .forbidden, "\(byMember.text)")
            let changed = try await api.send(
                .put, path, token: scene.alice.token, json: #"{"extensions":{"floor":null,"open":true}}"#)
            #expect(
                changed.object?["extensions"] == .object(["location": .string("Sun bar"), "open": .string("true")]),
                "\(changed.text)")
            let fourth = try await api.send(
                .put, path, token: scene.alice.token, form: "extensions[a]=1&extensions[b]=2")
            #expect(fourth.status == .unprocessableContent)
            #expect(fourth.errors(for: "extensions").first?.contains("a, b, location, open") == true, "\(fourth.text)")
            let tooMany = try await api.send(
                .post, "/chat/Dialog.json", token: scene.alice.token,
                json:
                    #"{"type":2,"name":"X","occupants_ids":[\#(scene.bob.id)],"extensions":{"a":"1","b":"2","c":"3","d":"4"}}"#
            )
            #expect(tooMany.errors(for: "extensions") == ["holds at most 3 fields"], "\(tooMany.text)")
            let nested = try await api.send(
                .put, path, token: scene.alice.token, json: #"{"extensions":{"a":{"b":1}}}"#)
            #expect(nested.errors(for: "extensions[a]") == ["must be text, a number or a flag"], "\(nested.text)")
            #expect(try await api.adminDialogs()[scene.partyId]?["extensions"] == changed.object?["extensions"])
        }
    }

    @Test(
        "preview=1 gives a non-member the newest 20 messages of a dialog that allows it, read only",
        arguments: StoreKind.available)
    func preview(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let carol = try await api.signUp("carol")
            let channel = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token,
                json: #"{"type":2,"name":"Channel","occupants_ids":[\#(bob.id)],"permissions":{"allow_preview":true}}"#
            )
            #expect(channel.text.hasSuffix(#""permissions":{"allow_preview":true}}"#), "\(channel.text)")
            let channelId = try #require(channel.object?.string("_id"))
            for index in 0..<25 {
                let sent = try await api.send(
                    .post, "/chat/Message.json", token: alice.token,
                    json:
                        #"{"chat_dialog_id":"\#(channelId)","message":"m\#(index)","date_sent":\#(1_700_000_000 + index)}"#
                )
                try #require(sent.status == .ok || sent.status == .created, "\(sent.text)")
            }

            let path = "/chat/Message.json?chat_dialog_id=\(channelId)"
            let preview = try await api.send(
                .get, "\(path)&preview=1&limit=5&skip=3&sort_desc=date_sent", token: carol.token)
            #expect(preview.status == .ok, "\(preview.text)")
            let texts = preview.object?["items"]?.arrayValue?.compactMap { $0.objectValue?.string("message") }
            #expect(texts == (5..<25).map { "m\($0)" })
            #expect(preview.object?.integer("total_entries") == 20)
            let counted = try await api.send(.get, "\(path)&preview=1&count=1", token: carol.token)
            #expect(counted.text == #"{"items_count":20}"#)
            let unread = try await api.adminMessages().values.filter {
                $0.integers("read_ids")?.contains(Int64(carol.id)) == true
            }
            #expect(unread.isEmpty, "a preview marks nothing read")

            let withoutPreview = try await api.send(.get, path, token: carol.token)
            #expect(withoutPreview.status == .notFound)
            let member = try await api.send(.get, "\(path)&preview=1&limit=5", token: bob.token)
            #expect(member.object?["items"]?.arrayValue?.count == 5, "a member's preview=1 is the usual list")
            let badFlag = try await api.send(.get, "\(path)&preview=yes", token: carol.token)
            #expect(badFlag.errors(for: "preview") == ["must be 1 or 0"])

            let closed = try await api.send(
                .put, "/chat/Dialog/\(channelId).json", token: alice.token, form: "permissions[allow_preview]=0")
            #expect(closed.object?["permissions"] == nil, "\(closed.text)")
            let refused = try await api.send(.get, "\(path)&preview=1", token: carol.token)
            #expect(refused.status == .notFound, "\(refused.text)")

            let pair = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token,
                json: #"{"type":3,"occupants_ids":[\#(carol.id)],"permissions":{"allow_preview":true}}"#)
            #expect(pair.status == .created && pair.object?["permissions"] == nil, "a private dialog has no preview")
        }
    }

    @Test("an exported dialog with extensions and a preview reads back the same")
    func readsBack() throws {
        let dialog = Dialog(
            id: ObjectId(hex: "5f1a2b3c4d5e6f7081920a1b")!, userId: 7, type: .group, name: "Party",
            occupantsIds: [7, 8],
            extensions: ["location": "Sun bar", "floor": "2"], allowsPreview: true, createdAt: 1_700_000_000,
            updatedAt: 1_700_000_001)
        var writer = JSONWriter(capacity: 512)
        AdminListJSON.write(dialog, to: &writer)
        let object = try #require(try JSONParser.parse(writer.bytes).objectValue)
        #expect(try AdminListJSON.dialog(from: object) == dialog)
    }
}
