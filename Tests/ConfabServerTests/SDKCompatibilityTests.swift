import ConfabCore
import ConfabRequests
import ConfabTestSupport
import HTTPTypes
import Testing

/// What ConnectyCube's own JS SDK sends, and what it reads back: `.json` on every path, ids
/// joined with ", ", parameters Confab has no use for, and its session calls.
@Suite("ConnectyCube's SDK, as it calls the API")
struct SDKCompatibilityTests {
    /// Alice owns a group with Bob, with one message of Alice's in it.
    struct Scene {
        let api: ChatAPITestClient
        let alice: ChatUserSession
        let bob: ChatUserSession
        let groupId: String
        let messageId: String
    }

    static func scene(_ api: ChatAPITestClient) async throws -> Scene {
        let alice = try await api.signUp("alice")
        let bob = try await api.signUp("bob")
        let group = try await api.send(
            .post, "/chat/Dialog.json", token: alice.token,
            json: #"{"type":2,"name":"Team","occupants_ids":[\#(bob.id)]}"#)
        let groupId = try #require(group.object?.string("_id"), "\(group.text)")
        let message = try await api.send(
            .post, "/chat/Message.json", token: alice.token,
            json: #"{"chat_dialog_id":"\#(groupId)","message":"hello"}"#)
        let messageId = try #require(message.object?.string("_id"), "\(message.text)")
        return Scene(api: api, alice: alice, bob: bob, groupId: groupId, messageId: messageId)
    }

    @Test("every sub-resource answers with .json appended, as the SDK calls it", arguments: StoreKind.available)
    func jsonSuffix(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let (alice, bob, group) = (scene.alice, scene.bob, scene.groupId)

            let admins = try await api.send(
                .put, "/chat/Dialog/\(group)/admins.json", token: alice.token,
                json: #"{"push_all":{"admins_ids":[\#(bob.id)]}}"#)
            #expect(admins.object?.integers("admins_ids") == [Int64(bob.id)], "\(admins.text)")

            let mute = try await api.send(
                .put, "/chat/Dialog/\(group)/notifications.json", token: bob.token, json: #"{"enabled":0}"#)
            #expect(mute.text == #"{"notifications":{"enabled":0}}"#)
            let muted = try await api.send(.get, "/chat/Dialog/\(group)/notifications.json", token: bob.token)
            #expect(muted.text == #"{"notifications":{"enabled":0}}"#)

            let open = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token, json: #"{"type":4,"name":"Open"}"#)
            let openId = try #require(open.object?.string("_id"))
            let joined = try await api.send(.post, "/chat/Dialog/\(openId)/subscribe.json", token: bob.token)
            #expect(joined.status == .ok, "\(joined.text)")
            #expect(joined.object?.integer("occupants_count") == 2)
            let left = try await api.send(.delete, "/chat/Dialog/\(openId)/subscribe.json", token: bob.token)
            #expect(left.object?.integer("occupants_count") == 1, "\(left.text)")

            let reacted = try await api.send(
                .put, "/chat/Message/\(scene.messageId)/reactions.json", token: bob.token, json: #"{"add":"👍"}"#)
            #expect(reacted.status == .ok, "\(reacted.text)")
            let reactions = try await api.send(
                .get, "/chat/Message/\(scene.messageId)/reactions.json", token: bob.token)
            #expect(reactions.text == #"{"👍":[\#(bob.id)]}"#)

            let renamed = try await api.send(
                .put, "/chat/Dialog/\(group).json", token: alice.token, json: #"{"name":"Renamed"}"#)
            #expect(renamed.object?.string("name") == "Renamed")
            let deleted = try await api.send(.delete, "/chat/Message/\(scene.messageId).json", token: bob.token)
            #expect(deleted.object?["SuccessfullyDeleted"]?.objectValue?["ids"] == .array([.string(scene.messageId)]))
        }
    }

    /// The SDK starts a new session when `errors.base[0]` says the session does not exist.
    @Test("a dead, unknown or missing token is the 401 the SDK refreshes on", arguments: StoreKind.available)
    func sessionExpiry(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            api.clock.advance(by: SessionPolicy.lifetime + 1)
            for token in [alice.token, String(repeating: "f", count: 40), nil] {
                for (method, path) in [(HTTPRequest.Method.get, "/chat/Dialog.json"), (.post, "/chat/Message.json")] {
                    let response = try await api.send(method, path, token: token, json: #"{"message":"x"}"#)
                    #expect(response.status == .unauthorized)
                    let base = response.errors?.objectValue?["base"]?.arrayValue?.first?.stringValue
                    #expect(base == "Required session does not exist", "\(path): \(response.text)")
                }
            }
        }
    }

    @Test("ids joined with \", \" are read as the ids", arguments: StoreKind.available)
    func idsWithSpaces(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let other = try await api.send(
                .post, "/chat/Dialog.json", token: scene.alice.token,
                json: #"{"type":2,"name":"Other","occupants_ids":"\#(scene.bob.id), \#(scene.alice.id)"}"#)
            let otherId = try #require(other.object?.string("_id"))
            let both = "\(scene.groupId),%20\(otherId)"

            let unread = try await api.send(
                .get, "/chat/Message/unread.json?chat_dialog_ids=\(both)", token: scene.bob.token)
            #expect(unread.object?.integer("total") == 1, "\(unread.text)")
            #expect(unread.object?.integer(scene.groupId) == 1)
            #expect(unread.object?.integer(otherId) == 0)

            let listed = try await api.send(.get, "/chat/Dialog.json?_id[in]=\(both)", token: scene.bob.token)
            let ids = listed.object?["items"]?.arrayValue?.compactMap { $0.objectValue?.string("_id") }
            #expect(Set(ids ?? []) == [scene.groupId, otherId], "\(listed.text)")

            let deleted = try await api.send(.delete, "/chat/Dialog/\(both).json", token: scene.bob.token)
            let gone = deleted.object?["SuccessfullyDeleted"]?.objectValue?["ids"]?.arrayValue?.compactMap(
                \.stringValue)
            #expect(Set(gone ?? []) == [scene.groupId, otherId], "\(deleted.text)")
        }
    }

    @Test(
        "the chat API ignores parameters it does not know; the Admin API still refuses them by name",
        arguments: StoreKind.available)
    func unknownParameters(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let (alice, bob) = (scene.alice, scene.bob)
            // As the SDK's docs show unreadCount: dialogs_ids[] is not a parameter, so every dialog counts.
            let unread = try await api.send(
                .get, "/chat/Message/unread.json?dialogs_ids[]=\(scene.groupId)&dialogs_ids[]=\(scene.groupId)",
                token: bob.token)
            #expect(unread.text == #"{"total":1,"\#(scene.groupId)":1}"#)
            let created = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token,
                json: #"{"type":2,"name":"Party","occupants_ids":[\#(bob.id)],"colour":"red"}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.object?["colour"] == nil)
            let listed = try await api.send(.get, "/chat/Dialog.json?colour=red&type[xx]=1&limit=1", token: bob.token)
            #expect(listed.object?.integer("limit") == 1, "\(listed.text)")
            let nested = try await api.send(
                .put, "/chat/Dialog/\(scene.groupId).json", token: alice.token,
                json: #"{"push_all":{"members":[1]},"extensions":{"location":"Sun bar"}}"#)
            #expect(nested.object?.integers("occupants_ids") == [alice.id, bob.id].map(Int64.init), "\(nested.text)")
            let read = try await api.send(
                .put, "/chat/Message/\(scene.messageId).json", token: bob.token, json: #"{"read":1,"colour":"red"}"#)
            #expect(read.status == .ok, "\(read.text)")
            #expect(
                try await api.adminMessages()[scene.messageId]?.integers("read_ids")
                    == [alice.id, bob.id].map(Int64.init))

            let before = try await api.adminSnapshot()
            let list = try await api.send(.get, "/admin/chat/list?colour=red", admin: true)
            #expect(list.errors(for: "colour").first?.hasPrefix("is not a known parameter") == true, "\(list.text)")
            let create = try await api.send(
                .post, "/admin/chat", admin: true, json: #"{"user_id":\#(alice.id),"type":4,"name":"x","colour":"red"}"#
            )
            #expect(create.errors(for: "colour").first?.hasPrefix("is not a parameter of this request") == true)
            let update = try await api.send(
                .put, "/admin/chat/\(scene.groupId)", admin: true, json: #"{"name":"y","colour":"red"}"#)
            #expect(update.errors(for: "colour").first?.hasPrefix("is not a parameter of this request") == true)
            #expect(try await api.adminSnapshot() == before)
        }
    }

    @Test(
        "a user's session carries its user; GET /session its token; DELETE /login signs the user out",
        arguments: StoreKind.available)
    func sessions(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let created = try await api.send(
                .post, "/session.json",
                json: JSONValue.object(api.sessionParameters(login: "alice", password: alice.password)).jsonText)
            let session = try #require(created.object?["session"]?.objectValue, "\(created.text)")
            let token = try #require(session.string("token"))
            #expect(session["user"]?.objectValue?.integer("id") == Int64(alice.id))
            #expect(session["user"]?.objectValue?.string("login") == "alice")

            let read = try await api.send(.get, "/session.json", token: token)
            let current = try #require(read.object?["session"]?.objectValue)
            #expect(current.string("token") == token)
            #expect(current.integer("user_id") == Int64(alice.id))
            #expect(current["user"]?.objectValue?.integer("id") == Int64(alice.id))

            let logout = try await api.send(.delete, "/login.json", token: token)
            #expect(logout.status == .ok)
            #expect(logout.bytes.isEmpty)
            let after = try await api.send(.get, "/session.json", token: token)
            #expect(after.object?["session"]?.objectValue?.integer("user_id") == 0)
            #expect(after.object?["session"]?.objectValue?["user"] == nil)
            let write = try await api.send(.post, "/chat/Dialog.json", token: token, json: #"{"type":4,"name":"x"}"#)
            #expect(write.text == SessionTests.needUser)

            // ConnectyCube takes any text as a nonce; a replay of one is still refused.
            var textNonce = api.sessionParameters()
            textNonce["nonce"] = .string("b7e2-nonce")
            textNonce["signature"] = .string(
                SessionSignature.sign(SessionSignature.message(textNonce), secret: api.credentials.authSecret))
            let body = JSONValue.object(textNonce).jsonText
            #expect(try await api.send(.post, "/session.json", json: body).status == .created)
            let replay = try await api.send(.post, "/session.json", json: body)
            #expect(replay.errors(for: "nonce") == ["was used already with this timestamp"], "\(replay.text)")
        }
    }

    @Test(
        "a message with chat_dialog_id and recipient_id; a private dialog's description; no deleted_for_ids for users",
        arguments: StoreKind.available)
    func messagesAndDialogs(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let pair = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token,
                json: #"{"type":3,"occupants_ids":[\#(bob.id)],"name":"ignored","photo":"p.png","description":"us"}"#)
            let pairId = try #require(pair.object?.string("_id"), "\(pair.text)")
            #expect(pair.object?.string("description") == "us")
            #expect(pair.object?["name"] == .null)
            #expect(pair.object?["photo"] == .null)
            let described = try await api.send(
                .put, "/chat/Dialog/\(pairId).json", token: bob.token, json: #"{"description":"both of us"}"#)
            #expect(described.object?.string("description") == "both of us", "\(described.text)")

            // The REST docs' own example sends both.
            let sent = try await api.send(
                .post, "/chat/Message.json", token: alice.token,
                json: #"{"chat_dialog_id":"\#(pairId)","recipient_id":\#(bob.id),"message":"where are you?"}"#)
            #expect(sent.status == .created, "\(sent.text)")
            #expect(sent.object?.string("chat_dialog_id") == pairId)
            #expect(sent.object?.integer("recipient_id") == Int64(bob.id))
            let messageId = try #require(sent.object?.string("_id"))
            _ = try await api.send(.delete, "/chat/Message/\(messageId)", token: bob.token)

            let listed = try await api.send(.get, "/chat/Message.json?chat_dialog_id=\(pairId)", token: alice.token)
            let item = try #require(listed.object?["items"]?.arrayValue?.first?.objectValue, "\(listed.text)")
            #expect(item["deleted_for_ids"] == nil)
            #expect(try await api.adminMessages()[messageId]?.integers("deleted_for_ids") == [Int64(bob.id)])
        }
    }

    @Test("a dialog's occupants, and its history cleared for me or for everyone", arguments: StoreKind.available)
    func occupantsAndHistory(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let scene = try await Self.scene(api)
            let (alice, bob, group) = (scene.alice, scene.bob, scene.groupId)
            func occupantIds(_ path: String) async throws -> [Int64] {
                let response = try await api.send(.get, path, token: bob.token)
                #expect(response.status == .ok, "\(path): \(response.text)")
                return response.object?["items"]?.arrayValue?.compactMap { $0.objectValue?.integer("id") } ?? []
            }
            #expect(
                try await occupantIds("/chat/Dialog/\(group)/occupants.json") == [alice.id, bob.id].map(Int64.init))
            let open = try await api.send(
                .post, "/chat/Dialog.json", token: alice.token, json: #"{"type":4,"name":"Open"}"#)
            let openId = try #require(open.object?.string("_id"))
            _ = try await api.send(.post, "/chat/Dialog/\(openId)/subscribe.json", token: bob.token)
            #expect(try await occupantIds("/chat/Dialog/\(openId)/occupants.json?limit=1&skip=1") == [Int64(bob.id)])
            let first = try await api.send(.get, "/chat/Dialog/\(openId)/occupants?limit=1", token: bob.token)
            #expect(first.object?["items"]?.arrayValue?.first?.objectValue?.string("login") == "alice")

            _ = try await api.send(
                .post, "/chat/Message.json", token: bob.token, json: #"{"chat_dialog_id":"\#(group)","message":"two"}"#)
            let cleared = try await api.send(.delete, "/chat/Dialog/clearHistory/\(group).json", token: bob.token)
            #expect(cleared.status == .ok, "\(cleared.text)")
            #expect(cleared.bytes.isEmpty)
            func listed(by user: ChatUserSession) async throws -> Int? {
                let response = try await api.send(.get, "/chat/Message.json?chat_dialog_id=\(group)", token: user.token)
                return response.object?["items"]?.arrayValue?.count
            }
            #expect(try await listed(by: bob) == 0)
            #expect(try await listed(by: alice) == 2)
            let messages = try await api.adminMessages()
            #expect(messages.values.allSatisfy { $0.integers("deleted_for_ids") == [Int64(bob.id)] })

            // The SDK sends a DELETE's parameters as a form body.
            let refused = try await api.send(
                .delete, "/chat/Dialog/clearHistory/\(group).json", token: bob.token, form: "force=1")
            #expect(refused.status == .forbidden, "\(refused.text)")
            let everyone = try await api.send(
                .delete, "/chat/Dialog/clearHistory/\(group).json", token: alice.token, form: "force=1")
            #expect(everyone.status == .ok, "\(everyone.text)")
            #expect(try await api.adminMessages().isEmpty)
            let dialog = try #require(try await api.adminDialogs()[group])
            #expect(dialog["last_message"] == .null && dialog["last_message_id"] == .null)
            #expect(try await listed(by: alice) == 0)
        }
    }
}
