import ConfabCore
import ConfabStore
import ConfabTestSupport
import Testing

/// Writes that race: each store must give the answer one-at-a-time writes give.
@Suite("Concurrent writes")
struct ConcurrentWriteTests {
    @Test(
        "racing requests create one private dialog, and every message counts in last_message",
        arguments: StoreKind.available)
    func racingWrites(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let body = #"{"type":3,"occupants_ids":[\#(bob.id)]}"#
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let response = try await api.send(.post, "/chat/Dialog", token: alice.token, json: body)
                        return (Int(response.status.code), response.object?.string("_id"))
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            // Every request answered with a dialog (one 201, the rest 200 with the same one):
            // a failed request has no id and fails the count.
            let dialogIds = answers.compactMap(\.1)
            #expect(dialogIds.count == 12, "\(answers)")
            #expect(answers.allSatisfy { $0.0 == 200 || $0.0 == 201 }, "\(answers)")
            #expect(Set(dialogIds).count == 1, "\(Set(dialogIds))")
            let dialogId = try #require(dialogIds.first)

            // Both users post at once, each message with its own date_sent.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    let sender = index.isMultiple(of: 2) ? alice : bob
                    group.addTask {
                        let response = try await api.send(
                            .post, "/chat/Message", token: sender.token,
                            json:
                                #"{"chat_dialog_id":"\#(dialogId)","message":"m\#(index)","date_sent":\#(1_750_000_000 + index)}"#
                        )
                        #expect(response.status == .created, "\(response.text)")
                    }
                }
                try await group.waitForAll()
            }
            let dialogs = try await api.adminDialogs()
            #expect(dialogs.count == 1)
            let dialog = try #require(dialogs[dialogId])
            #expect(dialog.string("last_message") == "m19")
            #expect(dialog.integer("last_message_date_sent") == 1_750_000_019)
            let messages = try await api.adminMessages()
            #expect(messages.count == 20)
            #expect(Set(messages.values.compactMap { $0.string("message") }) == Set((0..<20).map { "m\($0)" }))
        }
    }
}
