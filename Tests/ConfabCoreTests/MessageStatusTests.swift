import Testing

@testable import ConfabCore

@Suite struct MessageStatusTests {
    static func status(sender: Int = 1, occupants: [Int], read: [Int], delivered: [Int]) -> MessageStatus {
        MessageStatus.of(senderId: sender, occupantsIds: occupants, readIds: read, deliveredIds: delivered)
    }

    @Test func wireNames() {
        #expect(MessageStatus.allCases.map(\.rawValue) == ["sent", "delivered", "read"])
    }

    @Test func justSentIsSent() {
        // A new message has only its sender in read_ids and delivered_ids.
        #expect(Self.status(occupants: [1, 2], read: [1], delivered: [1]) == .sent)
        #expect(Self.status(occupants: [1, 2, 3], read: [1], delivered: [1]) == .sent)
    }

    @Test func readWhenEveryOtherOccupantHasRead() {
        #expect(Self.status(occupants: [1, 2], read: [1, 2], delivered: [1, 2]) == .read)
        #expect(Self.status(occupants: [1, 2, 3], read: [3, 1, 2], delivered: [1, 2, 3]) == .read)
        // The sender need not be listed: it is only the others that count.
        #expect(Self.status(occupants: [1, 2, 3], read: [2, 3], delivered: [2, 3]) == .read)
        // Reading implies receiving, even when delivered_ids lag behind.
        #expect(Self.status(occupants: [1, 2, 3], read: [1, 2, 3], delivered: [1]) == .read)
    }

    @Test func deliveredWhenEveryOtherHasReceivedButNotAllRead() {
        #expect(Self.status(occupants: [1, 2], read: [1], delivered: [1, 2]) == .delivered)
        #expect(Self.status(occupants: [1, 2, 3], read: [1, 2], delivered: [1, 2, 3]) == .delivered)
        #expect(Self.status(occupants: [1, 2, 3], read: [1, 2], delivered: [1, 3]) == .sent)
    }

    @Test func sentWhenSomeOtherHasNotReceived() {
        #expect(Self.status(occupants: [1, 2, 3], read: [1], delivered: [1, 2]) == .sent)
        #expect(Self.status(occupants: [1, 2, 3], read: [1, 2], delivered: [1, 2]) == .sent)
        // Users outside the occupants do not count towards anything.
        #expect(Self.status(occupants: [1, 2], read: [1, 9], delivered: [1, 9]) == .sent)
    }

    @Test func noOtherOccupantsIsSent() {
        #expect(Self.status(occupants: [], read: [1, 2], delivered: [1, 2]) == .sent)
        #expect(Self.status(occupants: [1], read: [1], delivered: [1]) == .sent)
        #expect(Self.status(occupants: [1, 1], read: [1], delivered: [1]) == .sent)
    }

    @Test func senderOutsideTheOccupants() {
        // A public-group subscriber or broadcast owner who is not in occupants_ids.
        #expect(Self.status(sender: 9, occupants: [1, 2], read: [9, 1, 2], delivered: [9, 1, 2]) == .read)
        #expect(Self.status(sender: 9, occupants: [1, 2], read: [9, 1], delivered: [9, 1, 2]) == .delivered)
        #expect(Self.status(sender: 9, occupants: [1, 2], read: [9], delivered: [9]) == .sent)
    }
}
