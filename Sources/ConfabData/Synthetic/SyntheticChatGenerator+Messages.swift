import ConfabCore

extension SyntheticChatGenerator {
    /// Moves `progress.time` to the next message's send time: random steps that spread the
    /// remaining messages over the time left.
    mutating func advanceTime(_ progress: inout DialogInProgress) {
        let end = plan.start + plan.span
        let step = max(0, 2 * (end - progress.time) / Int64(progress.remaining + 1))
        progress.time += Int64.random(in: 0...step, using: &random)
    }

    /// The dialog's next message, as its members would have sent, read and changed it.
    mutating func nextMessage(in progress: inout DialogInProgress) -> Message {
        let dialog = progress.dialog
        let sentAt = progress.time
        let position = progress.total - progress.remaining
        progress.remaining -= 1
        let sender = sender(in: dialog)
        let others = dialog.occupantsIds.filter { $0 != sender }
        let (readIds, deliveredIds) = receipts(of: sender, others: others, isRecent: progress.remaining < 3)
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
        addExtras(to: &message, in: dialog, others: others, position: position)
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

    /// An occupant of private and group dialogs, the owner of broadcasts, anyone in public ones.
    private mutating func sender(in dialog: Dialog) -> Int {
        switch dialog.type {
        case .privateChat, .group: dialog.occupantsIds.randomElement(using: &random)!
        case .broadcast: dialog.userId
        case .publicGroup: user(Int.random(in: 0..<plan.users, using: &random))
        }
    }

    /// Who read and who received it: most of the others, fewer for the newest messages.
    private mutating func receipts(of sender: Int, others: [Int], isRecent: Bool) -> (read: [Int], delivered: [Int]) {
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
        return (readIds, deliveredIds)
    }

    /// Now and then an attachment, custom fields, views, a reaction, an edit, a deletion for one member.
    private mutating func addExtras(to message: inout Message, in dialog: Dialog, others: [Int], position: Int) {
        let sentAt = message.dateSent
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
}
