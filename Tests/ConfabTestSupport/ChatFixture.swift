import ConfabCore
import ConfabData
import ConfabStore
import Foundation

/// An application with known data: what was written, kept in memory so tests can compute the
/// expected answer of any list with `ListOracle`.
public struct ChatFixture: Sendable {
    public let application: ChatApplication
    public let credentials: ApplicationCredentials
    public let dialogs: [Dialog]
    public let messages: [Message]

    /// Creates an application in `store` and writes the synthetic data of a plan of this size,
    /// plus `tiedMessages` messages that share one `created_at` and `updated_at` (to test
    /// tie-breaking by `_id`).
    public static func make(
        in store: any ChatStore,
        name: String = "Fixture",
        dialogs dialogCount: Int,
        messages messageCount: Int,
        tiedMessages: Int = 0,
        seed: UInt64 = 7,
        varied: Bool = false
    ) async throws -> ChatFixture {
        let credentials = ApplicationCredentials.random()
        let application = try await store.createApplication(
            name: name, credentials: credentials, createdAt: 1_700_000_000)
        var generator = SyntheticChatGenerator(
            plan: SyntheticChatPlan(
                applicationId: application.id, dialogs: dialogCount, messages: messageCount, seed: seed))
        var dialogs = [Dialog]()
        var messages = [Message]()
        while let batch = generator.nextBatch(maximumMessages: 5_000) {
            dialogs += batch.dialogs
            messages += batch.messages
        }
        if tiedMessages > 0, let dialog = dialogs.first {
            var ids = ObjectIdSequence(random: seed, counter: 0)
            let time: Int64 = 1_710_000_000
            for index in 0..<tiedMessages {
                messages.append(
                    Message(
                        id: ids.next(timestamp: UInt32(time)), chatDialogId: dialog.id, text: "tie \(index)",
                        dateSent: time, senderId: dialog.userId, readIds: [dialog.userId],
                        deliveredIds: [dialog.userId], createdAt: time, updatedAt: time))
            }
        }
        if varied { Self.vary(&dialogs, &messages) }
        try await store.insert(dialogs: dialogs, messages: messages, applicationId: application.id)
        return ChatFixture(
            application: application, credentials: credentials, dialogs: dialogs, messages: messages)
    }

    /// Names (some absent, some differing only in case or beyond ASCII), messages without text,
    /// and attachments of several types (one a number, one without any) for the filters on
    /// `name`, `message` and `attachments.type`.
    static let names = ["Team Alpha", "team alpha", "Zed", "Ünïcode ☕", "Alphabet", "a"]

    static func vary(_ dialogs: inout [Dialog], _ messages: inout [Message]) {
        for index in dialogs.indices {
            dialogs[index].name = index % 4 == 0 ? nil : names[index % names.count]
        }
        let types: [[JSONObject]] = [
            [["type": .string("image")]], [["type": .string("video")], ["type": .string("image")]],
            [["type": .integer(5)]], [["id": .string("x")]], [["type": .string("audio/ogg")]],
            // A NUL in an attachment is kept (JSON text escapes it), and filters still read it.
            [["type": .string("image"), "url": .string("a\u{0}b")]],
        ]
        for index in messages.indices {
            if index % 9 == 0 { messages[index].text = nil }
            if index % 3 == 0 { messages[index].attachments = types[(index / 3) % types.count] }
        }
    }

    /// Bounds that hit the data exactly (so `gt` and `gte` differ) and fall between rows.
    public func randomQueries(
        count: Int,
        collection: ChatCollection,
        seed: UInt64
    ) -> [ListQuery] {
        var random = SeededRandomNumberGenerator(seed: seed)
        let rows: [any ListedRow] = collection == .dialogs ? dialogs : messages
        return (0..<count).map { _ in
            var query = ListQuery()
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let row = rows.randomElement(using: &random)!
                let comparison = ComparisonOperator.ranges.randomElement(using: &random)!
                let nudge = Int64.random(in: -1...1, using: &random)
                switch [ListField.id, .createdAt, .updatedAt].randomElement(using: &random)! {
                case .id: query.filters.append(.id(comparison, row.id))
                case .createdAt: query.filters.append(.createdAt(comparison, row.createdAt + nudge))
                default: query.filters.append(.updatedAt(comparison, row.updatedAt + nudge))
                }
            }
            if collection == .messages, Int.random(in: 0..<4, using: &random) == 0 {
                query.chatDialogId = messages.randomElement(using: &random)?.chatDialogId
            }
            query.sort = ListSort(
                field: [ListField.id, .createdAt, .updatedAt].randomElement(using: &random)!,
                direction: Bool.random(using: &random) ? .ascending : .descending)
            query.limit = [1, 7, 50, 100].randomElement(using: &random)!
            query.skip = [0, 0, 3, 120].randomElement(using: &random)!
            return query
        }
    }
}
