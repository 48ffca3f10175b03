import ConfabCore
import ConfabTestSupport
import Testing

/// Three users of one application talk the way a chat app's users do, through the REST API
/// only; then the admin lists must say exactly what happened, field by field.
@Suite("A whole conversation, checked through the admin lists")
struct ConversationWalkTests {
    @Test(
        "sign up, sessions, dialogs, messages, receipts, edits, reactions, deletes, mute and leave",
        arguments: StoreKind.available)
    func conversation(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let carol = try await api.signUp("carol")
            let start = api.clock.now
            func at(_ step: Int64) -> Int64 { start + step * 10 }
            func move(to step: Int64) { api.clock.advance(by: at(step) - api.clock.now) }

            // 1. Alice creates a group with Bob and Carol.
            move(to: 1)
            let created = try await api.send(
                .post, "/chat/Dialog", token: alice.token,
                json:
                    #"{"type":2,"name":"Team","description":"Launch plans","occupants_ids":[\#(bob.id),\#(carol.id)]}"#)
            #expect(created.status == .created, "\(created.text)")
            let group = try #require(created.object)
            let groupId = try #require(group.string("_id"))
            #expect(group.integers("occupants_ids") == [alice.id, bob.id, carol.id].map(Int64.init))
            #expect(group.integer("occupants_count") == 3)
            #expect(group["is_muted"] == .bool(false))
            #expect(group.integer("unread_messages_count") == 0)

            // 2. Alice opens a private dialog with Bob (a form body, as some SDKs send); again returns it.
            move(to: 2)
            let privateCreated = try await api.send(
                .post, "/chat/Dialog", token: alice.token, form: "type=3&occupants_ids=\(bob.id)")
            #expect(privateCreated.status == .created, "\(privateCreated.text)")
            let privateId = try #require(privateCreated.object?.string("_id"))
            let again = try await api.send(
                .post, "/chat/Dialog", token: bob.token, json: #"{"type":3,"occupants_ids":[\#(alice.id)]}"#)
            #expect(again.status == .ok)
            #expect(again.object?.string("_id") == privateId)

            // 3. Carol writes to Alice by recipient_id: the private dialog is created on the way.
            move(to: 3)
            let hello = try await api.send(
                .post, "/chat/Message", token: carol.token, json: #"{"recipient_id":\#(alice.id),"message":"Hi Alice"}"#
            )
            #expect(hello.status == .created, "\(hello.text)")
            #expect(hello.object?.integer("recipient_id") == Int64(alice.id))
            let carolDialogId = try #require(hello.object?.string("chat_dialog_id"))
            let helloId = try #require(hello.object?.string("_id"))

            // 4. Alice posts to the group with an attachment (keyed by index) and custom fields.
            move(to: 4)
            let kickoff = try await api.send(
                .post, "/chat/Message", token: alice.token,
                json: #"""
                    {"chat_dialog_id":"\#(groupId)","message":"Kickoff at 10","send_to_chat":1,
                     "attachments":{"0":{"type":"image","id":"3004","url":"https://files.example/1.png"}},
                     "mission":"apollo","priority":3}
                    """#)
            #expect(kickoff.status == .created, "\(kickoff.text)")
            let kickoffMessage = try #require(kickoff.object)
            let m1 = try #require(kickoffMessage.string("_id"))
            #expect(kickoffMessage.integers("read_ids") == [Int64(alice.id)])
            #expect(kickoffMessage.integers("delivered_ids") == [Int64(alice.id)])
            #expect(kickoffMessage.integer("views_count") == 0)
            #expect(kickoffMessage.integer("read") == 0)
            #expect(kickoffMessage.integer("recipient_id") == 0)
            #expect(kickoffMessage.integer("date_sent") == at(4))

            // 5. Bob answers with a form body and a form-encoded attachment.
            move(to: 5)
            let answer = try await api.send(
                .post, "/chat/Message", token: bob.token,
                form: "chat_dialog_id=\(groupId)&message=On+my+way&attachments[0][type]=audio&attachments[0][id]=77")
            #expect(answer.status == .created, "\(answer.text)")
            let m2 = try #require(answer.object?.string("_id"))

            // 6. Bob lists the group: Alice's message becomes read (and delivered) by him.
            move(to: 6)
            let bobList = try await api.send(.get, "/chat/Message?chat_dialog_id=\(groupId)", token: bob.token)
            #expect(bobList.status == .ok)
            let listed = bobList.object?["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(listed.compactMap { $0.string("_id") } == [m1, m2])
            #expect(listed.first?.integers("read_ids") == [alice.id, bob.id].map(Int64.init))

            // 7. Carol's app reports both messages delivered.
            move(to: 7)
            let delivered = try await api.send(
                .put, "/chat/Message/\(m1),\(m2)", token: carol.token, json: #"{"delivered":1}"#)
            #expect(delivered.status == .ok, "\(delivered.text)")

            // 8. Alice edits her message.
            move(to: 8)
            let edited = try await api.send(
                .put, "/chat/Message/\(m1)", token: alice.token, json: #"{"message":"Kickoff at 11"}"#)
            #expect(edited.status == .ok, "\(edited.text)")

            // 9. Reactions: Bob and Carol 👍; Carol adds 🎉 and takes it back.
            move(to: 9)
            for (user, body) in [
                (bob, #"{"add":"👍"}"#), (carol, #"{"add":"👍"}"#), (carol, #"{"add":"🎉"}"#), (carol, #"{"remove":"🎉"}"#),
            ] {
                let reacted = try await api.send(.put, "/chat/Message/\(m1)/reactions", token: user.token, json: body)
                #expect(reacted.status == .ok, "\(reacted.text)")
            }
            let reactions = try await api.send(.get, "/chat/Message/\(m1)/reactions", token: alice.token)
            #expect(reactions.text == #"{"👍":[\#(bob.id),\#(carol.id)]}"#)

            // 10. Carol deletes Bob's message for herself.
            move(to: 10)
            let hidden = try await api.send(.delete, "/chat/Message/\(m2)", token: carol.token)
            #expect(hidden.object?["SuccessfullyDeleted"]?.objectValue?["ids"] == .array([.string(m2)]))

            // 11–12. Alice posts by mistake and deletes it for everyone: the last message goes back.
            move(to: 11)
            let mistake = try await api.send(
                .post, "/chat/Message", token: alice.token,
                json: #"{"chat_dialog_id":"\#(groupId)","message":"Wrong channel"}"#)
            let m3 = try #require(mistake.object?.string("_id"))
            #expect(try await api.adminDialogs()[groupId]?.string("last_message_id") == m3)
            move(to: 12)
            let removed = try await api.send(.delete, "/chat/Message/\(m3)?force=1", token: alice.token)
            #expect(
                removed.text
                    == #"{"SuccessfullyDeleted":{"ids":["\#(m3)"]},"NotFound":{"ids":[]},"WrongPermissions":{"ids":[]}}"#
            )

            // 13. Bob mutes the group.
            move(to: 13)
            let muted = try await api.send(
                .put, "/chat/Dialog/\(groupId)/notifications", token: bob.token, json: #"{"enabled":0}"#)
            #expect(muted.text == #"{"notifications":{"enabled":0}}"#)

            // 14. Carol leaves the group.
            move(to: 14)
            let left = try await api.send(
                .put, "/chat/Dialog/\(groupId)", token: carol.token,
                json: #"{"pull_all":{"occupants_ids":[\#(carol.id)]}}"#)
            #expect(left.status == .ok, "\(left.text)")
            let carolReads = try await api.send(.get, "/chat/Message?chat_dialog_id=\(groupId)", token: carol.token)
            #expect(carolReads.status == .notFound)

            // 15. Bob deletes the private dialog with Alice for himself.
            move(to: 15)
            let bobDeletes = try await api.send(.delete, "/chat/Dialog/\(privateId)", token: bob.token)
            #expect(bobDeletes.object?["SuccessfullyDeleted"]?.objectValue?["ids"] == .array([.string(privateId)]))

            // 16. Alice reads the group: Bob's message is now read by every other occupant.
            move(to: 16)
            let aliceList = try await api.send(.get, "/chat/Message?chat_dialog_id=\(groupId)", token: alice.token)
            #expect(aliceList.status == .ok)

            // What the users see now.
            let bobDialogs = try await api.send(.get, "/chat/Dialog", token: bob.token)
            let bobItems = bobDialogs.object?["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(bobItems.compactMap { $0.string("_id") } == [groupId])
            #expect(bobItems.first?["is_muted"] == .bool(true))
            let unread = try await api.send(.get, "/chat/Message/unread", token: alice.token)
            #expect(unread.object?.integer("total") == 1)
            #expect(unread.object?.integer(carolDialogId) == 1)
            #expect(unread.object?.integer(groupId) == 0)

            // The admin lists, field by field.
            let dialogs = try await api.adminDialogs()
            let messages = try await api.adminMessages()
            #expect(dialogs.count == 3)
            #expect(messages.count == 3)
            let iso = UTCTimestamp.iso8601

            let team = try #require(dialogs[groupId])
            #expect(team.integer("user_id") == Int64(alice.id))
            #expect(team.integer("type") == 2)
            #expect(team.string("name") == "Team")
            #expect(team.string("description") == "Launch plans")
            #expect(team["photo"] == .null)
            #expect(team.integers("occupants_ids") == [alice.id, bob.id].map(Int64.init))
            #expect(team.integer("occupants_count") == 2)
            #expect(team.string("xmpp_room_jid") == "\(api.application.id)_\(groupId)@muc.chat.confab.local")
            #expect(team.string("last_message") == "On my way")
            #expect(team.string("last_message_id") == m2)
            #expect(team.integer("last_message_user_id") == Int64(bob.id))
            #expect(team.integer("last_message_date_sent") == at(5))
            #expect(team.string("last_message_status") == "read")
            #expect(team.integers("admins_ids") == [])
            #expect(team["pinned_messages_ids"] == .array([]))
            #expect(team.integers("deleted_ids") == [])
            #expect(team.integers("silent_ids") == [Int64(bob.id)])
            #expect(team["is_muted"] == .null)
            #expect(team["unread_messages_count"] == .null)
            #expect(team.string("created_at") == iso(at(1)))
            #expect(team.string("updated_at") == iso(at(16)))

            let alicePrivate = try #require(dialogs[privateId])
            #expect(alicePrivate.integer("type") == 3)
            #expect(alicePrivate.integers("occupants_ids") == [alice.id, bob.id].map(Int64.init))
            #expect(alicePrivate["xmpp_room_jid"] == .null)
            #expect(alicePrivate["name"] == .null)
            #expect(alicePrivate["last_message"] == .null)
            #expect(alicePrivate.integers("deleted_ids") == [Int64(bob.id)])
            #expect(alicePrivate.string("updated_at") == iso(at(15)))

            let carolPrivate = try #require(dialogs[carolDialogId])
            #expect(carolPrivate.integer("type") == 3)
            #expect(carolPrivate.integer("user_id") == Int64(carol.id))
            #expect(carolPrivate.integers("occupants_ids") == [carol.id, alice.id].map(Int64.init))
            #expect(carolPrivate.string("last_message") == "Hi Alice")
            #expect(carolPrivate.string("last_message_status") == "sent")
            #expect(carolPrivate.string("created_at") == iso(at(3)))

            let first = try #require(messages[m1])
            #expect(first.string("message") == "Kickoff at 11")
            #expect(first.integer("edited_at") == at(8))
            #expect(first.integer("sender_id") == Int64(alice.id))
            #expect(first.integers("read_ids") == [alice.id, bob.id].map(Int64.init))
            #expect(first.integers("delivered_ids") == [alice.id, bob.id, carol.id].map(Int64.init))
            #expect(first.integer("read") == 1)
            #expect(first.string("mission") == "apollo")
            #expect(first.integer("priority") == 3)
            #expect(first["send_to_chat"] == nil)
            #expect(
                first["attachments"]
                    == .array([
                        .object([
                            "type": .string("image"), "id": .string("3004"),
                            "url": .string("https://files.example/1.png"),
                        ])
                    ]))
            #expect(first["reactions"] == .object(["own": .array([]), "total": .object(["👍": .integer(2)])]))
            #expect(first.integer("views_count") == 0)
            #expect(first.integers("deleted_for_ids") == [])
            #expect(first.string("created_at") == iso(at(4)))
            #expect(first.string("updated_at") == iso(at(9)))

            let second = try #require(messages[m2])
            #expect(second.integers("read_ids") == [bob.id, alice.id].map(Int64.init))
            #expect(second.integers("delivered_ids") == [bob.id, carol.id, alice.id].map(Int64.init))
            #expect(second.integers("deleted_for_ids") == [Int64(carol.id)])
            #expect(second["attachments"] == .array([.object(["type": .string("audio"), "id": .string("77")])]))
            #expect(second["reactions"] == .null)
            #expect(second["edited_at"] == .null)
            #expect(second.string("updated_at") == iso(at(16)))

            let greeting = try #require(messages[helloId])
            #expect(greeting.integer("recipient_id") == Int64(alice.id))
            #expect(greeting.integers("read_ids") == [Int64(carol.id)])
            #expect(greeting.integer("read") == 0)
            #expect(messages[m3] == nil)
        }
    }
}
