import ConfabCore
import ConfabTestSupport
import HTTPTypes
import Testing

/// Each rule of who may do what: the forbidden request answers 403 or 404 (or names the id
/// under WrongPermissions) and the admin lists are byte for byte what they were before it.
@Suite("Permissions")
struct ChatPermissionTests {
    /// Alice owns a group with Bob and Carol, with one message from each of Alice and Bob;
    /// Dave is a user of the application outside it.
    struct Scene {
        let api: ChatAPITestClient
        let alice: ChatUserSession
        let bob: ChatUserSession
        let carol: ChatUserSession
        let dave: ChatUserSession
        let groupId: String
        let aliceMessage: String
        let bobMessage: String
    }

    static func scene(_ api: ChatAPITestClient) async throws -> Scene {
        let alice = try await api.signUp("alice")
        let bob = try await api.signUp("bob")
        let carol = try await api.signUp("carol")
        let dave = try await api.signUp("dave")
        let group = try await api.send(
            .post, "/chat/Dialog", token: alice.token,
            json: #"{"type":2,"name":"Team","occupants_ids":[\#(bob.id),\#(carol.id)]}"#)
        let groupId = try #require(group.object?.string("_id"))
        let first = try await api.send(
            .post, "/chat/Message", token: alice.token,
            json: #"{"chat_dialog_id":"\#(groupId)","message":"from alice"}"#)
        let second = try await api.send(
            .post, "/chat/Message", token: bob.token, json: #"{"chat_dialog_id":"\#(groupId)","message":"from bob"}"#)
        return Scene(
            api: api, alice: alice, bob: bob, carol: carol, dave: dave, groupId: groupId,
            aliceMessage: try #require(first.object?.string("_id")),
            bobMessage: try #require(second.object?.string("_id")))
    }

    /// Sends the request and checks its status and that nothing changed.
    static func expectRefused(
        _ scene: Scene,
        _ method: HTTPRequest.Method,
        _ path: String,
        by user: ChatUserSession,
        json: String? = nil,
        status: HTTPResponse.Status,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIResponse {
        let before = try await scene.api.adminSnapshot()
        let response = try await scene.api.send(method, path, token: user.token, json: json)
        #expect(response.status == status, "\(method) \(path): \(response.text)", sourceLocation: sourceLocation)
        #expect(
            try await scene.api.adminSnapshot() == before, "\(method) \(path) changed data",
            sourceLocation: sourceLocation)
        return response
    }

    @Test(
        "only occupants read or write a dialog's messages; to others the dialog does not exist",
        arguments: StoreKind.available)
    func occupantsOnly(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let s = try await Self.scene(api)
            let g = s.groupId
            _ = try await Self.expectRefused(
                s, .get, "/chat/Message?chat_dialog_id=\(g)", by: s.dave, status: .notFound)
            _ = try await Self.expectRefused(
                s, .post, "/chat/Message", by: s.dave, json: #"{"chat_dialog_id":"\#(g)","message":"hi"}"#,
                status: .notFound)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Dialog/\(g)", by: s.dave, json: #"{"name":"Mine"}"#, status: .notFound)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Message/\(s.aliceMessage)", by: s.dave, json: #"{"read":1}"#, status: .notFound)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Message/\(s.aliceMessage)/reactions", by: s.dave, json: #"{"add":"👍"}"#,
                status: .notFound)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Dialog/\(g)/notifications", by: s.dave, json: #"{"enabled":0}"#, status: .notFound)
            let deleted = try await Self.expectRefused(s, .delete, "/chat/Dialog/\(g)", by: s.dave, status: .ok)
            #expect(deleted.object?["NotFound"]?.objectValue?["ids"] == .array([.string(g)]))
            let hidden = try await Self.expectRefused(
                s, .delete, "/chat/Message/\(s.aliceMessage)", by: s.dave, status: .ok)
            #expect(hidden.object?["NotFound"]?.objectValue?["ids"] == .array([.string(s.aliceMessage)]))
            let dialogs = try await api.send(.get, "/chat/Dialog", token: s.dave.token)
            #expect(dialogs.object?.integer("total_entries") == 0)
        }
    }

    @Test(
        "only the owner removes others, deletes for all and names admins; only owner and admins rename",
        arguments: StoreKind.available)
    func ownerRules(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let s = try await Self.scene(api)
            let g = s.groupId
            _ = try await Self.expectRefused(
                s, .put, "/chat/Dialog/\(g)", by: s.bob, json: #"{"pull_all":{"occupants_ids":[\#(s.carol.id)]}}"#,
                status: .forbidden)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Dialog/\(g)", by: s.bob, json: #"{"name":"Bob's"}"#, status: .forbidden)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Dialog/\(g)/admins", by: s.bob, json: #"{"push_all":{"admins_ids":[\#(s.bob.id)]}}"#,
                status: .forbidden)
            let force = try await Self.expectRefused(s, .delete, "/chat/Dialog/\(g)?force=1", by: s.bob, status: .ok)
            #expect(force.object?["WrongPermissions"]?.objectValue?["ids"] == .array([.string(g)]))
            _ = try await Self.expectRefused(
                s, .put, "/chat/Dialog/\(g)", by: s.alice, json: #"{"pull_all":{"occupants_ids":[\#(s.alice.id)]}}"#,
                status: .unprocessableContent)

            // An admin may rename; the owner may remove others.
            let promoted = try await api.send(
                .put, "/chat/Dialog/\(g)/admins", token: s.alice.token,
                json: #"{"push_all":{"admins_ids":[\#(s.bob.id)]}}"#)
            #expect(promoted.object?.integers("admins_ids") == [Int64(s.bob.id)])
            let renamed = try await api.send(.put, "/chat/Dialog/\(g)", token: s.bob.token, json: #"{"name":"Bob's"}"#)
            #expect(renamed.object?.string("name") == "Bob's")
            let removed = try await api.send(
                .put, "/chat/Dialog/\(g)", token: s.alice.token,
                json: #"{"pull_all":{"occupants_ids":[\#(s.carol.id)]}}"#)
            #expect(removed.object?.integers("occupants_ids") == [s.alice.id, s.bob.id].map(Int64.init))
            #expect(removed.object?.integer("occupants_count") == 2)
        }
    }

    @Test(
        "nobody edits another's message; force delete is for the sender and the dialog's owner and admins",
        arguments: StoreKind.available)
    func messageRules(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let s = try await Self.scene(api)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Message/\(s.aliceMessage)", by: s.bob, json: #"{"message":"edited by bob"}"#,
                status: .forbidden)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Message/\(s.bobMessage),\(s.aliceMessage)", by: s.bob, json: #"{"message":"both"}"#,
                status: .forbidden)
            let refused = try await Self.expectRefused(
                s, .delete, "/chat/Message/\(s.aliceMessage)?force=1", by: s.carol, status: .ok)
            #expect(refused.object?["WrongPermissions"]?.objectValue?["ids"] == .array([.string(s.aliceMessage)]))

            // The owner removes Bob's message for everyone; the dialog's last message follows.
            let removed = try await api.send(.delete, "/chat/Message/\(s.bobMessage)?force=1", token: s.alice.token)
            #expect(removed.object?["SuccessfullyDeleted"]?.objectValue?["ids"] == .array([.string(s.bobMessage)]))
            let dialog = try #require(try await api.adminDialogs()[s.groupId])
            #expect(dialog.string("last_message_id") == s.aliceMessage)
            #expect(dialog.string("last_message") == "from alice")
        }
    }

    @Test(
        "broadcast dialogs come only from the administration key; only owner and admins post to them",
        arguments: StoreKind.available)
    func broadcast(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let s = try await Self.scene(api)
            _ = try await Self.expectRefused(
                s, .post, "/chat/Dialog", by: s.alice, json: #"{"type":1,"name":"News"}"#, status: .forbidden)
            let created = try await api.send(
                .post, "/admin/chat", admin: true, json: #"{"type":1,"name":"News","user_id":\#(s.alice.id)}"#)
            #expect(created.status == .created, "\(created.text)")
            let newsId = try #require(created.object?.string("_id"))
            #expect(created.object?.string("xmpp_room_jid") == "\(api.application.id)_\(newsId)@muc.chat.confab.local")
            let posted = try await api.send(
                .post, "/chat/Message", token: s.alice.token,
                json: #"{"chat_dialog_id":"\#(newsId)","message":"Launch!"}"#)
            #expect(posted.status == .created)
            _ = try await Self.expectRefused(
                s, .post, "/chat/Message", by: s.bob, json: #"{"chat_dialog_id":"\#(newsId)","message":"me too"}"#,
                status: .forbidden)
            // Everyone reads it, and each reader's view counts once.
            for _ in 0..<2 {
                let read = try await api.send(.get, "/chat/Message?chat_dialog_id=\(newsId)", token: s.dave.token)
                #expect(read.status == .ok)
            }
            let postedId = try #require(posted.object?.string("_id"))
            let message = try #require(try await api.adminMessages()[postedId])
            #expect(message.integer("views_count") == 1)

            // The administration key mutes a member and renames with the owner's rights.
            let muted = try await api.send(
                .put, "/admin/chat/\(s.groupId)", admin: true,
                json: #"{"user_id":\#(s.carol.id),"is_muted":1,"name":"Crew"}"#)
            #expect(muted.status == .ok, "\(muted.text)")
            #expect(muted.object?.integers("silent_ids") == [Int64(s.carol.id)])
            #expect(muted.object?.string("name") == "Crew")
            let outsider = try await api.send(
                .put, "/admin/chat/\(s.groupId)", admin: true, json: #"{"user_id":\#(s.dave.id),"is_muted":1}"#)
            #expect(!outsider.errors(for: "user_id").isEmpty)
        }
    }

    @Test("another application's dialogs, messages and users are 404s, never data", arguments: StoreKind.available)
    func otherApplication(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let s = try await Self.scene(api)
            let other = try await api.otherApplication()
            let eve = try await other.signUp("eve")
            _ = try await Self.expectRefused(
                s, .get, "/chat/Message?chat_dialog_id=\(s.groupId)", by: eve, status: .notFound)
            _ = try await Self.expectRefused(
                s, .put, "/chat/Message/\(s.aliceMessage)", by: eve, json: #"{"read":1}"#, status: .notFound)
            _ = try await Self.expectRefused(s, .get, "/users/\(s.alice.id)", by: eve, status: .notFound)
            _ = try await Self.expectRefused(
                s, .post, "/chat/Dialog", by: eve, json: #"{"type":3,"occupants_ids":[\#(s.alice.id)]}"#,
                status: .unprocessableContent)
            let otherAdmin = try await other.send(.put, "/admin/chat/\(s.groupId)", admin: true, json: #"{"name":"x"}"#)
            #expect(otherAdmin.status == .notFound)
        }
    }
}
