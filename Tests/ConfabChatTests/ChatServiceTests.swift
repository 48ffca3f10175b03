import ConfabChat
import ConfabCore
import ConfabStore
import ConfabTestSupport
import Testing

/// The chat operations called directly, as realtime delivery will call them: no HTTP, a real
/// store of each kind, refusals as `ChatError`s.
@Suite("Chat operations without HTTP")
struct ChatServiceTests {
    private static let now: Int64 = 1_700_000_000

    private static func service(_ store: any ChatStore) -> ChatService {
        ChatService(store: store, ids: ObjectIdGenerator(), clock: { now }, chatHost: "chat.test")
    }

    /// An application and the ids of its three users.
    private static func application(in store: any ChatStore) async throws -> (id: Int, users: [Int]) {
        let app = try await store.createApplication(name: "Chat", credentials: .random(), createdAt: now)
        var users = [Int]()
        for number in 1...3 {
            let user = ChatUser(
                id: 0, applicationId: app.id, login: "user\(number)", email: nil, createdAt: now, updatedAt: now)
            users.append(try await store.createUser(user, passwordHash: "x").id)
        }
        return (app.id, users)
    }

    @Test("refusals are ChatErrors by code, name what is wrong, and change nothing", arguments: StoreKind.available)
    func refusals(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let (applicationId, users) = try await Self.application(in: store)
            let (owner, member, other) = (users[0], users[1], users[2])
            let chat = Self.service(store)

            let broadcast = await #expect(throws: ChatError.self) {
                try await chat.createDialog(
                    NewDialog(type: .broadcast, name: "News"), ownerId: owner, applicationId: applicationId,
                    byAdministrationKey: false)
            }
            #expect(broadcast?.code == .forbidden)

            let lonely = await #expect(throws: ChatError.self) {
                try await chat.createDialog(
                    NewDialog(type: .group, name: "Alone", occupantsIds: [9_999_999]), ownerId: owner,
                    applicationId: applicationId,
                    byAdministrationKey: false)
            }
            #expect(lonely?.code == .invalidParameters)
            #expect(
                lonely?.parameterErrors.messages(for: "occupants_ids") == ["names users that do not exist: 9999999"])

            let (group, created) = try await chat.createDialog(
                NewDialog(type: .group, name: "Team", occupantsIds: [member, other]), ownerId: owner,
                applicationId: applicationId,
                byAdministrationKey: false)
            #expect(created && group.occupantsIds == [owner, member, other] && group.xmppRoomJid != nil)

            let rename = await #expect(throws: ChatError.self) {
                try await chat.updateDialog(
                    group.id, DialogChanges(fields: DialogFields(name: "Mine")), by: .user(member),
                    applicationId: applicationId)
            }
            #expect(rename?.code == .forbidden)
            let unknown = await #expect(throws: ChatError.self) {
                try await chat.updateDialog(
                    ObjectId(timestamp: 1, random: 1, counter: 1), DialogChanges(), by: .user(owner),
                    applicationId: applicationId)
            }
            #expect(unknown?.code == .notFound && unknown?.message == "Dialog not found")
            let stored = try await store.read(applicationId: applicationId) { try await $0.dialog(group.id) }
            #expect(stored == group)

            // The same operations succeed for those allowed.
            let renamed = try await chat.updateDialog(
                group.id, DialogChanges(fields: DialogFields(name: "Renamed"), pullOccupants: [other]),
                by: .user(owner),
                applicationId: applicationId)
            #expect(
                renamed.name == "Renamed" && renamed.occupantsIds == [owner, member] && renamed.occupantsCount == 2)
        }
    }

    @Test(
        "unread counts of more dialogs than one grouped query takes equal counting each dialog by hand",
        arguments: StoreKind.available)
    func unreadCountsInGroups(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            // Users 1 and 2 are only ids here: counting unread messages does not look users up.
            let applicationId = try await store.createApplication(
                name: "Unread", credentials: .random(), createdAt: Self.now
            ).id
            var ids = ObjectIdSequence(random: 7, counter: 0)
            var dialogs = [Dialog]()
            var messages = [Message]()
            var expected = [ObjectId: Int]()
            for index in 0..<1_100 {
                let time = Self.now + Int64(index)
                let dialog = Dialog(
                    id: ids.next(timestamp: UInt32(time)), userId: 2, type: .group, name: "D\(index)",
                    occupantsIds: [2, 1], occupantsCount: 2, createdAt: time, updatedAt: time)
                dialogs.append(dialog)
                // 0 to 4 messages: from 2 (unread unless read or deleted for 1) and from 1 (never counted).
                for number in 0..<(index % 5) {
                    let read = number == 1 || index % 7 == 0
                    let deleted = number == 2 && index % 3 == 0
                    messages.append(
                        Message(
                            id: ids.next(timestamp: UInt32(time)), chatDialogId: dialog.id, text: "m", dateSent: time,
                            senderId: number == 3 ? 1 : 2, readIds: read ? [2, 1] : [2],
                            deliveredIds: [2, 1], deletedForIds: deleted ? [1] : [], createdAt: time,
                            updatedAt: time))
                    if number != 3, !read, !deleted { expected[dialog.id, default: 0] += 1 }
                }
            }
            try await store.insert(dialogs: dialogs, messages: messages, applicationId: applicationId)
            let chat = Self.service(store)

            let counts = try await chat.unreadCounts(of: nil, userId: 1, applicationId: applicationId)
            #expect(counts.count == 1_100)
            #expect(Set(counts.map(\.0)) == Set(dialogs.map(\.id)))
            let wrong = counts.filter { $0.1 != expected[$0.0, default: 0] }
            #expect(wrong.isEmpty, "\(wrong.count) dialogs counted wrongly, e.g. \(wrong.prefix(3))")
            #expect(expected.values.reduce(0, +) > 0)

            let chosen = [dialogs[3].id, dialogs[0].id]
            let some = try await chat.unreadCounts(of: chosen, userId: 1, applicationId: applicationId)
            #expect(some.map(\.0) == chosen && some.map(\.1) == chosen.map { expected[$0, default: 0] })

            let page = try await chat.dialogs(of: 1, applicationId: applicationId, query: ListQuery())
            #expect(page.totalEntries == 1_100 && page.items.count == 100)
            for view in page.items {
                #expect(view.unreadMessagesCount == expected[view.dialog.id, default: 0])
            }
        }
    }
}
