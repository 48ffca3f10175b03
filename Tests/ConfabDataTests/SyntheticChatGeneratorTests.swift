import ConfabCore
import Testing

@testable import ConfabData

@Suite struct SyntheticChatGeneratorTests {
    struct Output: Sendable {
        var batches: [SyntheticChatBatch] = []
        var dialogs: [Dialog] { batches.flatMap(\.dialogs) }
        var messages: [Message] { batches.flatMap(\.messages) }
    }

    static func generate(_ plan: SyntheticChatPlan, batchSize: Int = 10_000) -> Output {
        var generator = SyntheticChatGenerator(plan: plan)
        var output = Output()
        while let batch = generator.nextBatch(maximumMessages: batchSize) {
            output.batches.append(batch)
            if output.batches.count > plan.messages + plan.dialogs + 1 {
                Issue.record("the generator does not stop")
                break
            }
        }
        return output
    }

    static let plan = SyntheticChatPlan(applicationId: 7, dialogs: 150, messages: 4_000, users: 40, seed: 42)
    static let output = generate(plan, batchSize: 700)

    static let plans: [SyntheticChatPlan] = [
        plan,
        .demo(applicationId: 3),
        SyntheticChatPlan(applicationId: 1, dialogs: 40, messages: 10, seed: 5),  // more dialogs than messages
        SyntheticChatPlan(applicationId: 2, dialogs: 12, messages: 0, seed: 6),
        SyntheticChatPlan(applicationId: 9, dialogs: 4, messages: 900, users: 3, seed: 7, span: 3_600),  // dense
        SyntheticChatPlan(applicationId: 9, dialogs: 30, messages: 300, users: 2, seed: 8),  // fewest users allowed
        SyntheticChatPlan(applicationId: 4, dialogs: 1, messages: 1, seed: 9),
        // The id counter wraps inside the last second of this dialog (see newestMessageWhenTheIdCounterWraps).
        SyntheticChatPlan(applicationId: 1, dialogs: 1, messages: 1_482, seed: 53_042, span: 3_600),
    ]

    /// Each of `plans` generated once, shared by the tests that only read the data.
    static let cache: [(plan: SyntheticChatPlan, output: Output)] = plans.map { ($0, generate($0, batchSize: 1_000)) }

    static func cached(_ plan: SyntheticChatPlan) -> Output {
        cache.first { $0.plan == plan }?.output ?? generate(plan)
    }

    static func messagesByDialog(_ messages: [Message]) -> [ObjectId: [Message]] {
        Dictionary(grouping: messages, by: \.chatDialogId)
    }

    static func newest(_ messages: [Message]) -> Message? {
        messages.max { ($0.dateSent, $0.id) < ($1.dateSent, $1.id) }
    }

    // MARK: Determinism

    @Test func samePlanGivesIdenticalOutput() {
        let again = Self.generate(Self.plan, batchSize: 700)
        #expect(again.dialogs == Self.output.dialogs)
        #expect(again.messages == Self.output.messages)
        #expect(again.batches.map(\.messages.count) == Self.output.batches.map(\.messages.count))
    }

    @Test func batchSizeDoesNotChangeTheData() {
        for batchSize in [1, 333, 10_000] {
            let other = Self.generate(Self.plan, batchSize: batchSize)
            #expect(other.dialogs == Self.output.dialogs, "batch size \(batchSize)")
            #expect(other.messages == Self.output.messages, "batch size \(batchSize)")
        }
    }

    @Test func differentSeedGivesDifferentData() {
        var plan = Self.plan
        plan.seed = 43
        let other = Self.generate(plan, batchSize: 700)
        #expect(other.messages.count == Self.output.messages.count)
        #expect(other.dialogs.count == Self.output.dialogs.count)
        #expect(other.dialogs.map(\.id) != Self.output.dialogs.map(\.id))
        #expect(other.messages.map(\.id) != Self.output.messages.map(\.id))
        #expect(other.dialogs.map(\.occupantsIds) != Self.output.dialogs.map(\.occupantsIds))
        #expect(other.messages.map(\.dateSent) != Self.output.messages.map(\.dateSent))
        // Not merely shifted: few ids in common.
        #expect(Set(other.messages.map(\.id)).isDisjoint(with: Self.output.messages.map(\.id)))
    }

    // MARK: Sizes and batches

    @Test(arguments: plans)
    func producesExactlyThePlannedCounts(plan: SyntheticChatPlan) {
        let output = Self.generate(plan, batchSize: 250)
        #expect(output.messages.count == plan.messages)
        #expect(output.dialogs.count == plan.dialogs)
    }

    @Test(arguments: [1, 7, 700, 4_000, 50_000])
    func batchSizeIsRespected(batchSize: Int) {
        var generator = SyntheticChatGenerator(plan: Self.plan)
        var sizes = [Int]()
        var dialogs = 0
        while let batch = generator.nextBatch(maximumMessages: batchSize) {
            sizes.append(batch.messages.count)
            dialogs += batch.dialogs.count
            #expect(!batch.messages.isEmpty || !batch.dialogs.isEmpty)
        }
        #expect(sizes.allSatisfy { $0 <= batchSize })
        // Every batch but the last is full.
        #expect(sizes.dropLast().allSatisfy { $0 == batchSize })
        #expect(sizes.reduce(0, +) == 4_000)
        #expect(dialogs == 150)
        // Once done, it stays done.
        #expect(generator.nextBatch(maximumMessages: batchSize) == nil)
        #expect(generator.nextBatch() == nil)
    }

    @Test(arguments: plans)
    func aDialogComesWithTheBatchOfItsLastMessage(plan: SyntheticChatPlan) {
        let output = Self.generate(plan, batchSize: 97)
        var batchOfDialog = [ObjectId: Int]()
        var lastBatchOfMessages = [ObjectId: Int]()
        for (index, batch) in output.batches.enumerated() {
            for dialog in batch.dialogs {
                #expect(batchOfDialog.updateValue(index, forKey: dialog.id) == nil, "dialog produced twice")
            }
            for message in batch.messages { lastBatchOfMessages[message.chatDialogId] = index }
        }
        #expect(batchOfDialog.count == plan.dialogs)
        for (dialogId, messageBatch) in lastBatchOfMessages {
            guard let dialogBatch = batchOfDialog[dialogId] else {
                Issue.record("no dialog \(dialogId) for its messages")
                continue
            }
            #expect(dialogBatch == messageBatch)
        }
        // Dialogs without messages come out with the first batch.
        let silent = Set(batchOfDialog.keys).subtracting(lastBatchOfMessages.keys)
        for dialogId in silent {
            #expect(batchOfDialog[dialogId] == 0)
        }
    }

    @Test(arguments: plans)
    func messagesComeOutInTheOrderTheyWereSent(plan: SyntheticChatPlan) {
        let messages = Self.cached(plan).messages
        #expect(zip(messages, messages.dropFirst()).allSatisfy { $0.dateSent <= $1.dateSent })
        // So ids grow too, but where the 24-bit counter wraps within a second.
        let decreases = zip(messages, messages.dropFirst()).filter { !($0.id < $1.id) }
        #expect(decreases.count <= 1)
        for (earlier, later) in decreases {
            #expect(earlier.dateSent == later.dateSent)
            #expect(earlier.id.low & 0xFF_FFFF == 0xFF_FFFF && later.id.low & 0xFF_FFFF == 0)
        }
    }

    @Test func emptyPlanProducesNothing() {
        var generator = SyntheticChatGenerator(plan: SyntheticChatPlan(applicationId: 1, dialogs: 0, messages: 100))
        #expect(generator.nextBatch() == nil)
    }

    // MARK: Consistency

    @Test(arguments: plans)
    func everyDialogsLastMessageIsItsNewestMessage(plan: SyntheticChatPlan) throws {
        let output = Self.cached(plan)
        let byDialog = Self.messagesByDialog(output.messages)
        #expect(Set(byDialog.keys).isSubset(of: output.dialogs.map(\.id)))
        for dialog in output.dialogs {
            let messages = byDialog[dialog.id] ?? []
            guard let newest = Self.newest(messages) else {
                #expect(dialog.lastMessage == nil)
                continue
            }
            let last = try #require(dialog.lastMessage)
            #expect(last.id == newest.id)
            #expect(last.text == newest.text)
            #expect(last.dateSent == newest.dateSent)
            #expect(last.userId == newest.senderId)
            #expect(
                last.status
                    == MessageStatus.of(
                        senderId: newest.senderId, occupantsIds: dialog.occupantsIds, readIds: newest.readIds,
                        deliveredIds: newest.deliveredIds))
            #expect(dialog.updatedAt >= last.dateSent)
        }
    }

    /// Seed 53042 starts the id counter so that it wraps between the last two messages, which share
    /// their second: the message generated last then has the smaller `_id`.
    @Test func newestMessageWhenTheIdCounterWraps() throws {
        let plan = SyntheticChatPlan(applicationId: 1, dialogs: 1, messages: 1_482, seed: 53_042, span: 3_600)
        let output = Self.cached(plan)
        let messages = output.messages
        let lastTwo = Array(messages.suffix(2))
        try #require(lastTwo.count == 2)
        #expect(lastTwo[0].dateSent == lastTwo[1].dateSent)
        #expect(lastTwo[0].id.low & 0xFF_FFFF == 0xFF_FFFF)
        #expect(lastTwo[1].id < lastTwo[0].id)
        let dialog = try #require(output.dialogs.first)
        #expect(dialog.lastMessage?.id == lastTwo[0].id)
        #expect(dialog.lastMessage?.text == lastTwo[0].text)
    }

    @Test(arguments: plans)
    func sendersBelongToTheDialog(plan: SyntheticChatPlan) {
        let output = Self.cached(plan)
        let dialogs = Dictionary(uniqueKeysWithValues: output.dialogs.map { ($0.id, $0) })
        let users = 10_001..<(10_001 + plan.users)
        for message in output.messages {
            guard let dialog = dialogs[message.chatDialogId] else {
                Issue.record("message \(message.id) in an unknown dialog")
                continue
            }
            #expect(users.contains(message.senderId))
            switch dialog.type {
            case .privateChat, .group: #expect(dialog.occupantsIds.contains(message.senderId))
            case .broadcast: #expect(message.senderId == dialog.userId)
            case .publicGroup: #expect(dialog.occupantsIds.isEmpty)
            }
        }
    }

    @Test(arguments: plans)
    func dialogShapesFollowTheirType(plan: SyntheticChatPlan) {
        let output = Self.cached(plan)
        let users = 10_001..<(10_001 + plan.users)
        for dialog in output.dialogs {
            #expect(users.contains(dialog.userId))
            #expect(Set(dialog.occupantsIds).count == dialog.occupantsIds.count)
            #expect(dialog.occupantsIds.allSatisfy { users.contains($0) })
            #expect(!dialog.isE2ee)
            switch dialog.type {
            case .privateChat:
                #expect(dialog.occupantsIds.count == 2)
                #expect(dialog.occupantsIds.first == dialog.userId)
                #expect(dialog.occupantsCount == 2)
                #expect(dialog.xmppRoomJid == nil)
                #expect(dialog.name == nil)
                #expect(dialog.adminsIds.isEmpty)
            case .group:
                #expect(dialog.occupantsIds.first == dialog.userId)
                #expect((2...10).contains(dialog.occupantsIds.count))
                #expect(dialog.occupantsCount == dialog.occupantsIds.count)
                #expect(dialog.adminsIds.count <= 2)
                #expect(dialog.adminsIds.allSatisfy { $0 != dialog.userId && dialog.occupantsIds.contains($0) })
            case .publicGroup:
                #expect(dialog.occupantsIds.isEmpty)
                #expect((1...plan.users).contains(dialog.occupantsCount ?? 0))
            case .broadcast:
                #expect(dialog.occupantsIds.isEmpty)
                #expect(dialog.occupantsCount == plan.users)
            }
            if dialog.type != .privateChat {
                #expect(
                    dialog.xmppRoomJid
                        == "\(plan.applicationId)_\(dialog.id.hex)@muc.\(plan.chatHost)")
                #expect(
                    dialog.xmppRoomJid
                        == Dialog.roomJid(applicationId: plan.applicationId, dialogId: dialog.id, host: plan.chatHost))
                #expect(dialog.name?.isEmpty == false)
            }
            if dialog.type != .group { #expect(dialog.adminsIds.isEmpty) }
            #expect(dialog.deletedIds.allSatisfy { $0 != dialog.userId && dialog.occupantsIds.contains($0) })
            #expect(dialog.silentIds.allSatisfy { dialog.occupantsIds.contains($0) })
        }
    }

    @Test func allFourDialogTypesArePresent() {
        #expect(Set(Self.output.dialogs.map(\.type)) == Set(DialogType.allCases))
        let demo = Self.cached(.demo(applicationId: 3))
        #expect(Set(demo.dialogs.map(\.type)) == Set(DialogType.allCases))
        // Even the smallest plan with four dialogs has one of each.
        let four = Self.generate(SyntheticChatPlan(applicationId: 1, dialogs: 4, messages: 0))
        #expect(four.dialogs.map(\.type) == [.privateChat, .group, .publicGroup, .broadcast])
    }

    @Test(arguments: plans)
    func timesAreConsistent(plan: SyntheticChatPlan) {
        let output = Self.cached(plan)
        let dialogs = Dictionary(uniqueKeysWithValues: output.dialogs.map { ($0.id, $0) })
        for dialog in output.dialogs {
            #expect(dialog.updatedAt >= dialog.createdAt)
            #expect(Int64(dialog.id.timestamp) == dialog.createdAt)
            #expect(dialog.createdAt >= plan.start && dialog.createdAt <= plan.start + plan.span / 2)
        }
        for message in output.messages {
            #expect(Int64(message.id.timestamp) == message.createdAt)
            #expect(message.createdAt == message.dateSent)
            #expect(message.updatedAt >= message.createdAt)
            #expect(message.dateSent <= plan.start + plan.span)
            if let dialog = dialogs[message.chatDialogId] {
                #expect(message.dateSent >= dialog.createdAt)
            }
            if let editedAt = message.editedAt {
                #expect(editedAt > message.dateSent)
                #expect(message.updatedAt >= editedAt)
                #expect(message.text?.hasSuffix(" (edited)") == true)
            }
        }
        // Within a dialog, messages come in date_sent order.
        for (_, messages) in Self.messagesByDialog(output.messages) {
            #expect(zip(messages, messages.dropFirst()).allSatisfy { $0.dateSent <= $1.dateSent })
        }
    }

    @Test(arguments: plans)
    func readAndDeliveredAreConsistent(plan: SyntheticChatPlan) {
        let output = Self.cached(plan)
        let dialogs = Dictionary(uniqueKeysWithValues: output.dialogs.map { ($0.id, $0) })
        for message in output.messages {
            #expect(Set(message.readIds).isSubset(of: message.deliveredIds))
            #expect(message.readIds.first == message.senderId)
            #expect(message.deliveredIds.first == message.senderId)
            #expect(Set(message.readIds).count == message.readIds.count)
            #expect(Set(message.deliveredIds).count == message.deliveredIds.count)
            if let dialog = dialogs[message.chatDialogId] {
                let members = Set(dialog.occupantsIds + [message.senderId])
                #expect(Set(message.deliveredIds).isSubset(of: members))
                #expect(message.deletedForIds.allSatisfy { dialog.occupantsIds.contains($0) })
                #expect(message.reactions.allSatisfy { Set($0.userIds).isSubset(of: dialog.occupantsIds) })
            }
            if message.readIds.count == 1 { #expect(!message.isRead) } else { #expect(message.isRead) }
        }
    }

    @Test(arguments: plans)
    func idsAreUnique(plan: SyntheticChatPlan) {
        let output = Self.cached(plan)
        let ids = output.dialogs.map(\.id) + output.messages.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test(arguments: plans)
    func recipientIsTheOtherOccupantOfAPrivateDialog(plan: SyntheticChatPlan) {
        let output = Self.cached(plan)
        let dialogs = Dictionary(uniqueKeysWithValues: output.dialogs.map { ($0.id, $0) })
        for message in output.messages {
            guard let dialog = dialogs[message.chatDialogId] else { continue }
            if dialog.type == .privateChat {
                #expect(message.recipientId != message.senderId)
                #expect(Set([message.recipientId, message.senderId]) == Set(dialog.occupantsIds))
            } else {
                #expect(message.recipientId == 0)
            }
        }
    }

    @Test(arguments: plans)
    func customFieldsNeverTakeSystemNames(plan: SyntheticChatPlan) {
        let output = Self.cached(plan)
        for message in output.messages {
            let names = message.customFields.members.map(\.key)
            #expect(Set(names).isDisjoint(with: Message.systemFields))
            #expect(Set(names).count == names.count)
            #expect(message.attachments.allSatisfy { $0["type"] != nil && $0["id"] != nil && $0["url"] != nil })
        }
    }

    @Test func theDataHasVariety() {
        let messages = Self.output.messages
        #expect(messages.contains { !$0.customFields.isEmpty })
        #expect(messages.contains { !$0.attachments.isEmpty })
        #expect(messages.contains { !$0.reactions.isEmpty })
        #expect(messages.contains { $0.editedAt != nil })
        #expect(messages.contains { !$0.deletedForIds.isEmpty })
        #expect(messages.contains { $0.viewsCount > 0 })
        #expect(Set(Self.output.dialogs.compactMap(\.lastMessage?.status)) == Set(MessageStatus.allCases))
        #expect(Self.output.dialogs.contains { !$0.pinnedMessagesIds.isEmpty })
        // Messages are spread unevenly: some dialogs are much busier than others.
        let counts = Self.messagesByDialog(messages).values.map(\.count)
        #expect((counts.max() ?? 0) > 3 * (counts.min() ?? 0))
    }

    @Test func pinnedMessagesBelongToTheirDialog() {
        let messages = Dictionary(uniqueKeysWithValues: Self.output.messages.map { ($0.id, $0) })
        for dialog in Self.output.dialogs {
            for pinned in dialog.pinnedMessagesIds {
                #expect(messages[pinned]?.chatDialogId == dialog.id)
            }
        }
    }

    @Test func theFewestUsersStillMakeGroups() {
        // `confab seed --users 2` is accepted; a group then has its owner and the one other user.
        let output = Self.generate(SyntheticChatPlan(applicationId: 1, dialogs: 10, messages: 40, users: 2, seed: 3))
        let groups = output.dialogs.filter { $0.type == .group }
        #expect(!groups.isEmpty)
        #expect(groups.allSatisfy { Set($0.occupantsIds) == [10_001, 10_002] })
    }

    // MARK: Plan

    @Test func planClampsItsSizes() {
        let negative = SyntheticChatPlan(applicationId: 1, dialogs: -5, messages: 10, users: 1, span: 10)
        #expect(negative.dialogs == 0)
        #expect(negative.messages == 0)
        #expect(negative.users == 2)
        #expect(negative.span == 3_600)
        let noDialogs = SyntheticChatPlan(applicationId: 1, dialogs: 0, messages: 10)
        #expect(noDialogs.messages == 0)
        let negativeMessages = SyntheticChatPlan(applicationId: 1, dialogs: 3, messages: -1)
        #expect(negativeMessages.messages == 0)
        // Users default to twice the dialogs, from 20 up to 100,000.
        #expect(SyntheticChatPlan(applicationId: 1, dialogs: 3, messages: 0).users == 20)
        #expect(SyntheticChatPlan(applicationId: 1, dialogs: 30, messages: 0).users == 60)
        #expect(SyntheticChatPlan(applicationId: 1, dialogs: 80_000, messages: 0).users == 100_000)
        #expect(SyntheticChatPlan(applicationId: 1, dialogs: 3, messages: 0, users: 7).users == 7)
        let defaults = SyntheticChatPlan(applicationId: 5, dialogs: 1, messages: 1)
        #expect(defaults.seed == 1)
        #expect(defaults.start == 1_700_000_000)
        #expect(defaults.span == 180 * 86_400)
        #expect(defaults.chatHost == "chat.confab.local")
    }

    @Test func demoPlan() {
        let demo = SyntheticChatPlan.demo(applicationId: 12)
        #expect(demo.applicationId == 12)
        #expect(demo.dialogs == 300)
        #expect(demo.messages == 4_000)
        #expect(demo.users == 60)
        #expect(demo.seed == 2024)
    }
}
