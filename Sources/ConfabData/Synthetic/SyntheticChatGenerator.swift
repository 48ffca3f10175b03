import ConfabCore
import Foundation

/// Deterministic synthetic chat data, as consistent as data made by real use, produced in
/// batches so that a million messages never sit in memory at once.
///
/// Messages come out in the order they were sent across all dialogs, as a live server would
/// write them (so their ids grow with time); a dialog comes out with the batch of its last message.
///
/// Consistency kept: each dialog's `last_message*` describe its newest message; senders are
/// occupants (the owner in broadcast dialogs, subscribers in public ones); private dialogs have
/// two occupants and no room JID; `updated_at` is never before `created_at`; a message's `_id`
/// carries its `created_at`, which is its `date_sent`; `delivered_ids` contain `read_ids`, which
/// contain the sender.
public struct SyntheticChatGenerator {
    public let plan: SyntheticChatPlan
    var random: SeededRandomNumberGenerator
    var ids: ObjectIdSequence
    /// Every dialog still being written, by index; `nil` once produced.
    private var dialogs: [DialogInProgress?] = []
    /// The next message of every dialog with messages left, earliest first.
    private var schedule = MinimumHeap<ScheduledMessage>()
    /// Dialogs without messages, produced with the first batch.
    private var silentDialogs: [Int] = []

    public init(plan: SyntheticChatPlan) {
        self.plan = plan
        random = SeededRandomNumberGenerator(seed: plan.seed)
        ids = ObjectIdSequence(using: &random)
        let counts = Self.spread(plan.messages, over: plan.dialogs, using: &random)
        dialogs.reserveCapacity(plan.dialogs)
        for index in 0..<plan.dialogs {
            var progress = startDialog(index: index, messages: counts[index])
            if progress.remaining > 0 {
                advanceTime(&progress)
                schedule.insert(ScheduledMessage(time: progress.time, dialog: index))
            } else {
                silentDialogs.append(index)
            }
            dialogs.append(progress)
        }
    }

    /// The next batch of at most `maximumMessages` messages and the dialogs completed with them,
    /// or `nil` when everything has been produced.
    public mutating func nextBatch(maximumMessages: Int = 10_000) -> SyntheticChatBatch? {
        var batch = SyntheticChatBatch()
        for index in silentDialogs {
            batch.dialogs.append(finish(dialogs[index]!))
            dialogs[index] = nil
        }
        silentDialogs.removeAll()
        while batch.messages.count < maximumMessages, let next = schedule.popMinimum() {
            var progress = dialogs[next.dialog]!
            batch.messages.append(nextMessage(in: &progress))
            if progress.remaining > 0 {
                advanceTime(&progress)
                schedule.insert(ScheduledMessage(time: progress.time, dialog: next.dialog))
                dialogs[next.dialog] = progress
            } else {
                batch.dialogs.append(finish(progress))
                dialogs[next.dialog] = nil
            }
        }
        return batch.dialogs.isEmpty && batch.messages.isEmpty ? nil : batch
    }

    // MARK: Dialogs

    struct DialogInProgress {
        var dialog: Dialog
        var index: Int
        var remaining: Int
        var total: Int
        /// When the next message is sent.
        var time: Int64
        var last: LastMessage?
        var pinned: ObjectId?
    }

    private struct ScheduledMessage: Comparable {
        var time: Int64
        var dialog: Int

        static func < (lhs: ScheduledMessage, rhs: ScheduledMessage) -> Bool {
            (lhs.time, lhs.dialog) < (rhs.time, rhs.dialog)
        }
    }

    private mutating func startDialog(index: Int, messages total: Int) -> DialogInProgress {
        let type = dialogType(index: index)
        let owner = user(Int.random(in: 0..<plan.users, using: &random))
        let (occupants, occupantsCount) = members(of: type, ownedBy: owner)
        let createdAt = plan.start + Int64.random(in: 0...(plan.span / 2), using: &random)
        let id = ids.next(timestamp: UInt32(truncatingIfNeeded: createdAt))
        var dialog = Dialog(
            id: id, userId: owner, type: type, occupantsIds: occupants, occupantsCount: occupantsCount,
            createdAt: createdAt, updatedAt: createdAt
        )
        if type.hasRoom { describe(&dialog, index: index) }
        let others = occupants.filter { $0 != owner }
        if type == .group, !others.isEmpty, chance(0.25) {
            dialog.adminsIds = Array(others.prefix(Int.random(in: 1...min(2, others.count), using: &random)))
        }
        if type != .broadcast, !others.isEmpty, chance(0.1) {
            dialog.deletedIds = [others.randomElement(using: &random)!]
        }
        if !occupants.isEmpty, chance(0.15) { dialog.silentIds = [occupants.randomElement(using: &random)!] }
        return DialogInProgress(dialog: dialog, index: index, remaining: total, total: total, time: createdAt)
    }

    /// One dialog of each type first, then mostly private and group dialogs.
    private mutating func dialogType(index: Int) -> DialogType {
        let types: [DialogType] = [.privateChat, .group, .publicGroup, .broadcast]
        if index < types.count { return types[index] }
        let roll = Double.random(in: 0..<1, using: &random)
        return roll < 0.55 ? .privateChat : roll < 0.85 ? .group : roll < 0.95 ? .publicGroup : .broadcast
    }

    /// The occupants of a new dialog, and its `occupants_count` (subscribers in open dialogs).
    private mutating func members(of type: DialogType, ownedBy owner: Int) -> (occupants: [Int], count: Int) {
        switch type {
        case .privateChat:
            return ([owner, otherUser(than: [owner])], 2)
        case .group:
            var occupants = [owner]
            for _ in 0..<Int.random(in: min(2, plan.users - 1)...min(9, plan.users - 1), using: &random) {
                occupants.append(otherUser(than: occupants))
            }
            return (occupants, occupants.count)
        case .publicGroup:
            return ([], Int.random(in: 1...max(1, plan.users), using: &random))
        case .broadcast:
            return ([], plan.users)
        }
    }

    /// Name and room of a dialog that has a room, and sometimes a description and a photo.
    private mutating func describe(_ dialog: inout Dialog, index: Int) {
        dialog.name = "\(Self.topics[index % Self.topics.count]) \(index)"
        dialog.xmppRoomJid = Dialog.roomJid(applicationId: plan.applicationId, dialogId: dialog.id, host: plan.chatHost)
        if chance(0.4) {
            dialog.description = "Talk about \(Self.topics[(index + 3) % Self.topics.count].lowercased())"
        }
        if chance(0.3) { dialog.photo = "https://files.confab.local/photos/\(index).png" }
    }

    private mutating func finish(_ progress: DialogInProgress) -> Dialog {
        var dialog = progress.dialog
        if let last = progress.last {
            dialog.lastMessage = last
            dialog.updatedAt = max(dialog.createdAt, last.dateSent)
        }
        if let pinned = progress.pinned { dialog.pinnedMessagesIds = [pinned] }
        if chance(0.1) { dialog.updatedAt += Int64.random(in: 1...86_400, using: &random) }
        return dialog
    }

    // MARK: Helpers

    func user(_ index: Int) -> Int { 10_001 + index }

    private mutating func otherUser(than taken: [Int]) -> Int {
        while true {
            let candidate = user(Int.random(in: 0..<plan.users, using: &random))
            if !taken.contains(candidate) { return candidate }
        }
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &random) < probability
    }

    /// Splits `total` over `count` buckets with exponential weights: uneven like real chats,
    /// summing exactly to `total`.
    private static func spread(_ total: Int, over count: Int, using random: inout SeededRandomNumberGenerator) -> [Int]
    {
        guard count > 0 else { return [] }
        let weights = (0..<count).map { _ in -log(Double.random(in: Double.leastNonzeroMagnitude..<1, using: &random)) }
        let sum = weights.reduce(0, +)
        var counts = weights.map { Int(Double(total) * $0 / sum) }
        var missing = total - counts.reduce(0, +)
        var index = 0
        while missing > 0 {
            counts[index % count] += 1
            missing -= 1
            index += 1
        }
        return counts
    }

    static let topics = [
        "Design", "Release", "Support", "Marketing", "Hiking", "Book club", "Family", "Operations", "Football",
        "Recipes",
    ]

    static let phrases = [
        "Warning! People are coming", "Morning! Did you see the report?", "Let's meet at 10 — ok?",
        "Ça marche 👍", "Sending the \"final\" version now", "Can you check line 42; it fails",
        "Привет! Как дела?", "🎉 Shipped!", "I'll be late, traffic 🚗", "Does anyone have the Wi-Fi password?",
    ]
}

/// One batch from `SyntheticChatGenerator`.
public struct SyntheticChatBatch: Sendable {
    public var dialogs: [Dialog] = []
    public var messages: [Message] = []
}
