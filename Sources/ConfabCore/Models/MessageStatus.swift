/// `last_message_status`: how far the last message got, as its sender sees it.
public enum MessageStatus: String, Sendable, CaseIterable {
    case sent
    case delivered
    case read

    /// `read` when every other occupant has read it, `delivered` when every other has received
    /// it, else `sent` (the decision in `chat-rest-api.md`).
    public static func of(
        senderId: Int,
        occupantsIds: [Int],
        readIds: [Int],
        deliveredIds: [Int]
    ) -> MessageStatus {
        let others = occupantsIds.filter { $0 != senderId }
        if !others.isEmpty, others.allSatisfy(readIds.contains) { return .read }
        if !others.isEmpty, others.allSatisfy(deliveredIds.contains) { return .delivered }
        return .sent
    }
}
