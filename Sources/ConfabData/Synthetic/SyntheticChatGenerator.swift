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
    private var random: SeededRandomNumberGenerator
    private var ids: ObjectIdSequence
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

    private struct DialogInProgress {
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
        let types: [DialogType] = [.privateChat, .group, .publicGroup, .broadcast]
        let type: DialogType
        if index < types.count {
            type = types[index]
        } else {
            let roll = Double.random(in: 0..<1, using: &random)
            type = roll < 0.55 ? .privateChat : roll < 0.85 ? .group : roll < 0.95 ? .publicGroup : .broadcast
        }
        let owner = user(Int.random(in: 0..<plan.users, using: &random))
        var occupants: [Int] = []
        var occupantsCount: Int
        switch type {
        case .privateChat:
            occupants = [owner, otherUser(than: [owner])]
            occupantsCount = 2
        case .group:
            occupants = [owner]
            for _ in 0..<Int.random(in: min(2, plan.users - 1)...min(9, plan.users - 1), using: &random) {
                occupants.append(otherUser(than: occupants))
            }
            occupantsCount = occupants.count
        case .publicGroup:
            occupantsCount = Int.random(in: 1...max(1, plan.users), using: &random)
        case .broadcast:
            occupantsCount = plan.users
        }
        let createdAt = plan.start + Int64.random(in: 0...(plan.span / 2), using: &random)
        let id = ids.next(timestamp: UInt32(truncatingIfNeeded: createdAt))
        var dialog = Dialog(
            id: id, userId: owner, type: type, occupantsIds: occupants, occupantsCount: occupantsCount,
            createdAt: createdAt, updatedAt: createdAt
        )
        if type.hasRoom {
            dialog.name = "\(Self.topics[index % Self.topics.count]) \(index)"
            dialog.xmppRoomJid = Dialog.roomJid(applicationId: plan.applicationId, dialogId: id, host: plan.chatHost)
            if chance(0.4) {
                dialog.description = "Talk about \(Self.topics[(index + 3) % Self.topics.count].lowercased())"
            }
            if chance(0.3) { dialog.photo = "https://files.confab.local/photos/\(index).png" }
        }
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

    // MARK: Messages

    /// Moves `progress.time` to the next message's send time: random steps that spread the
    /// remaining messages over the time left.
    private mutating func advanceTime(_ progress: inout DialogInProgress) {
        let end = plan.start + plan.span
        let step = max(0, 2 * (end - progress.time) / Int64(progress.remaining + 1))
        progress.time += Int64.random(in: 0...step, using: &random)
    }

    private mutating func nextMessage(in progress: inout DialogInProgress) -> Message {
        let dialog = progress.dialog
        let sentAt = progress.time
        let position = progress.total - progress.remaining
        progress.remaining -= 1
        let sender: Int
        switch dialog.type {
        case .privateChat, .group: sender = dialog.occupantsIds.randomElement(using: &random)!
        case .broadcast: sender = dialog.userId
        case .publicGroup: sender = user(Int.random(in: 0..<plan.users, using: &random))
        }
        let others = dialog.occupantsIds.filter { $0 != sender }
        let isRecent = progress.remaining < 3
        var readIds = [sender]
        var deliveredIds = [sender]
        for other in others {
            if chance(isRecent ? 0.3 : 0.9) {
                readIds.append(other)
                deliveredIds.append(other)
            } else if chance(0.7) {
                deliveredIds.append(other)
            }
        }
        var message = Message(
            id: ids.next(timestamp: UInt32(truncatingIfNeeded: sentAt)),
            chatDialogId: dialog.id,
            text: "\(Self.phrases[(position + progress.index) % Self.phrases.count]) #\(position + 1)",
            dateSent: sentAt,
            senderId: sender,
            recipientId: dialog.type == .privateChat ? others.first ?? 0 : 0,
            readIds: readIds,
            deliveredIds: deliveredIds,
            createdAt: sentAt,
            updatedAt: readIds.count > 1 ? sentAt + Int64.random(in: 0...3_600, using: &random) : sentAt
        )
        if chance(0.12) { message.attachments = [attachment(number: position)] }
        if chance(0.15) {
            message.customFields = [
                "mission": .string(Self.topics[position % Self.topics.count]),
                "priority": .integer(Int64.random(in: 1...5, using: &random)),
                "userExtraData": chance(0.5) ? .null : .object(["source": .string("synthetic")]),
            ]
        }
        if dialog.type == .broadcast || dialog.type == .publicGroup {
            message.viewsCount = Int.random(in: 0...max(0, dialog.occupantsCount ?? 0), using: &random)
        }
        if !others.isEmpty, chance(0.05) {
            message.reactions = [Reaction(emoji: "👍", userIds: Array(others.prefix(2)))]
            message.updatedAt = max(message.updatedAt, sentAt + 60)
        }
        if chance(0.03) {
            let editedAt = sentAt + Int64.random(in: 1...600, using: &random)
            message.editedAt = editedAt
            message.text = (message.text ?? "") + " (edited)"
            message.updatedAt = max(message.updatedAt, editedAt)
        }
        if !dialog.occupantsIds.isEmpty, chance(0.03) {
            message.deletedForIds = [dialog.occupantsIds.randomElement(using: &random)!]
            message.updatedAt = max(message.updatedAt, sentAt + 120)
        }
        if position == 0, progress.total > 1, chance(0.05) { progress.pinned = message.id }
        // The newest message is the greatest (date_sent, _id): when the id counter wraps within one
        // second, the message generated last can have the smaller id.
        if progress.last.map({ ($0.dateSent, $0.id) < (message.dateSent, message.id) }) ?? true {
            progress.last = LastMessage(
                id: message.id, text: message.text, dateSent: message.dateSent, userId: message.senderId,
                status: MessageStatus.of(
                    senderId: message.senderId, occupantsIds: dialog.occupantsIds, readIds: message.readIds,
                    deliveredIds: message.deliveredIds))
        }
        return message
    }

    private mutating func attachment(number: Int) -> JSONObject {
        let fileId = String(Int.random(in: 1_000...999_999, using: &random))
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            return [
                "type": .string("image"), "id": .string(fileId),
                "url": .string("https://files.confab.local/\(fileId).jpg"), "content-type": .string("image/jpeg"),
                "width": .integer(1280), "height": .integer(960), "size": .integer(Int64(100_000 + number % 50_000)),
            ]
        case 1:
            return [
                "type": .string("audio"), "id": .string(fileId),
                "url": .string("https://files.confab.local/\(fileId).m4a"), "content-type": .string("audio/mp4"),
                "duration": .integer(Int64(5 + number % 120)),
            ]
        default:
            return [
                "type": .string("file"), "id": .string(fileId), "name": .string("report-\(number).pdf"),
                "url": .string("https://files.confab.local/\(fileId).pdf"), "content-type": .string("application/pdf"),
            ]
        }
    }

    // MARK: Helpers

    private func user(_ index: Int) -> Int { 10_001 + index }

    private mutating func otherUser(than taken: [Int]) -> Int {
        while true {
            let candidate = user(Int.random(in: 0..<plan.users, using: &random))
            if !taken.contains(candidate) { return candidate }
        }
    }

    private mutating func chance(_ probability: Double) -> Bool {
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

    private static let topics = [
        "Design", "Release", "Support", "Marketing", "Hiking", "Book club", "Family", "Operations", "Football",
        "Recipes",
    ]

    private static let phrases = [
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
