import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import Testing

/// `GET /admin/chat/changes` through the real router on each store, after writes through the
/// REST API.
@Suite("The change feed over HTTP")
struct AdminChangesTests {
    @Test(
        "the shape: upserts with the admin list's item, tombstones, next_cursor, has_more and cursor=now",
        arguments: StoreKind.available)
    func shape(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let start = try await api.send(.get, "/admin/chat/changes?cursor=now", admin: true)
            #expect(start.status == .ok, "\(start.text)")
            let startCursor = try #require(start.object?.string("next_cursor"))
            #expect(start.object?["changes"] == .array([]) && start.object?["has_more"] == .bool(false))
            let created = try await api.send(
                .post, "/chat/Dialog", token: alice.token, form: "type=3&occupants_ids=\(bob.id)")
            let dialog = try #require(created.object?.string("_id"))
            var ids: [String] = []
            for text in ["one", "two"] {
                let sent = try await api.send(
                    .post, "/chat/Message", token: alice.token,
                    json: #"{"chat_dialog_id":"\#(dialog)","message":"\#(text)"}"#)
                ids.append(try #require(sent.object?.string("_id")))
            }
            #expect(try await api.send(.delete, "/chat/Message/\(ids[0])?force=1", token: alice.token).status == .ok)
            let page = try await api.send(.get, "/admin/chat/changes.json?cursor=\(startCursor)", admin: true)
            #expect(page.status == .ok, "\(page.text)")
            let entries = page.object?["changes"]?.arrayValue ?? []
            let changes = entries.compactMap(\.objectValue)
            // The dialog (its last change: the second message), the second message, the tombstone.
            let dialogs = try await api.adminDialogs()
            let messages = try await api.adminMessages()
            #expect(changes.count == 3, "\(page.text)")
            for change in changes {
                let id = try #require(change.string("_id"))
                switch (change.string("kind"), change.string("op")) {
                case ("dialog", "upsert"):
                    #expect(change["item"]?.objectValue == dialogs[id])
                    #expect(change.integer("changed_at") == api.clock.now)
                case ("message", "upsert"):
                    #expect(change["item"]?.objectValue == messages[id])
                    #expect(change.string("chat_dialog_id") == dialog)
                case ("message", "delete"):
                    #expect(id == ids[0] && change.string("chat_dialog_id") == dialog && change["item"] == nil)
                    #expect(change.integer("changed_at") != nil)
                default:
                    Issue.record("unexpected change \(change)")
                }
            }
            // Page by page: one change a page, has_more until the last.
            var cursor = startCursor
            var seen: [String] = []
            for _ in 0..<10 {
                let one = try await api.send(.get, "/admin/chat/changes?limit=1&cursor=\(cursor)", admin: true)
                let object = try #require(one.object)
                seen += object["changes"]?.arrayValue?.compactMap { $0.objectValue?.string("_id") } ?? []
                cursor = try #require(object.string("next_cursor"))
                if object["has_more"] == .bool(false) { break }
            }
            #expect(seen == changes.compactMap { $0.string("_id") })
            let caughtUp = try await api.send(.get, "/admin/chat/changes?cursor=\(cursor)", admin: true)
            #expect(caughtUp.object?["changes"] == .array([]))
            #expect(caughtUp.object?.string("next_cursor") == cursor)
        }
    }

    @Test(
        "bad parameters are a 422 naming each; no key is a 401; an expired cursor a 410", arguments: StoreKind.available
    )
    func refusals(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            for (query, parameter) in [
                ("cursor=abc", "cursor"), ("limit=0", "limit"), ("limit=x", "limit"), ("since=1", "since"),
                ("cursor=now&cursor=now", "cursor"),
            ] {
                let response = try await api.send(.get, "/admin/chat/changes?\(query)", admin: true)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(!response.errors(for: parameter).isEmpty, "\(query): \(response.text)")
            }
            #expect(try await api.send(.get, "/admin/chat/changes?limit=100000", admin: true).status == .ok)
            #expect(try await api.send(.get, "/admin/chat/changes").status == .unauthorized)
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let created = try await api.send(
                .post, "/chat/Dialog", token: alice.token, form: "type=2&name=G&occupants_ids=\(bob.id)")
            let dialog = try #require(created.object?.string("_id"))
            let now = try await api.send(.get, "/admin/chat/changes?cursor=now", admin: true)
            let before = try #require(now.object?.string("next_cursor"))
            #expect(try await api.send(.delete, "/chat/Dialog/\(dialog)?force=1", token: alice.token).status == .ok)
            _ = try await api.store.purgeChanges(deletedBefore: Int64(Date().timeIntervalSince1970) + 60)
            let expired = try await api.send(.get, "/admin/chat/changes?cursor=\(before)", admin: true)
            #expect(expired.status == .gone, "\(expired.text)")
            #expect(expired.text.contains("export again"))
            #expect(try await api.send(.get, "/admin/chat/changes", admin: true).status == .ok)
        }
    }
}
