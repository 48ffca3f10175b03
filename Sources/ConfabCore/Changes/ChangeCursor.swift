/// A position in an application's change feed: every change at or before it has been handed
/// out. Changes are ordered by the sequence number of the transaction that made them (commit
/// order), then dialogs before messages, then `_id`; rows written before the feed existed share
/// sequence number 0.
///
/// Written as opaque text (`text`), which stays valid across restarts: it names data, not a
/// server's state.
public struct ChangeCursor: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The transaction's sequence number, from 0.
    public var sequence: Int64
    /// -1: before everything of `sequence`; 0 dialogs, 1 messages; 2: after everything of it.
    public var kind: Int
    public var id: ObjectId

    public init(sequence: Int64, kind: Int, id: ObjectId) {
        self.sequence = sequence
        self.kind = kind
        self.id = id
    }

    /// Before every change: a feed read from the start.
    public static let beginning = ChangeCursor(sequence: 0, kind: -1, id: ObjectId(high: 0, low: 0))

    /// After every change of transaction `sequence`.
    public static func end(of sequence: Int64) -> ChangeCursor {
        ChangeCursor(sequence: sequence, kind: 2, id: ObjectId(high: 0, low: 0))
    }

    public static func < (lhs: ChangeCursor, rhs: ChangeCursor) -> Bool {
        (lhs.sequence, lhs.kind) < (rhs.sequence, rhs.kind)
            || (lhs.sequence, lhs.kind) == (rhs.sequence, rhs.kind)
                && lhs.id < rhs.id
    }

    /// `1`, 16 hex digits of the sequence, the kind + 1, 24 hex digits of the id.
    public var text: String {
        let hex = String(UInt64(bitPattern: sequence), radix: 16)
        return "1" + String(repeating: "0", count: 16 - hex.count) + hex + String(kind + 1) + id.hex
    }

    public var description: String { text }

    /// A cursor written by `text`; `nil` for anything else.
    public init?(text: some StringProtocol) {
        let characters = Array(text.utf8)
        guard characters.count == 42, characters[0] == UInt8(ascii: "1"),
            let sequence = UInt64(String(decoding: characters[1..<17], as: UTF8.self), radix: 16),
            sequence <= UInt64(Int64.max),
            (UInt8(ascii: "0")...UInt8(ascii: "3")).contains(characters[17]),
            let id = ObjectId(hex: String(decoding: characters[18...], as: UTF8.self))
        else { return nil }
        self.init(sequence: Int64(sequence), kind: Int(characters[17] - UInt8(ascii: "0")) - 1, id: id)
    }
}

/// One entry of the change feed: a row as it is now, or the tombstone of one deleted.
public enum ChatChange: Sendable, Equatable {
    case dialog(Dialog, sequence: Int64)
    case message(Message, sequence: Int64)
    /// A dialog deleted (its messages each have a tombstone of their own).
    case deletedDialog(ObjectId, sequence: Int64, at: Int64)
    case deletedMessage(ObjectId, dialogId: ObjectId, sequence: Int64, at: Int64)

    /// Where the change stands in the feed.
    public var position: ChangeCursor {
        switch self {
        case .dialog(let dialog, let sequence): ChangeCursor(sequence: sequence, kind: 0, id: dialog.id)
        case .message(let message, let sequence): ChangeCursor(sequence: sequence, kind: 1, id: message.id)
        case .deletedDialog(let id, let sequence, _): ChangeCursor(sequence: sequence, kind: 0, id: id)
        case .deletedMessage(let id, _, let sequence, _): ChangeCursor(sequence: sequence, kind: 1, id: id)
        }
    }

    public var isDeletion: Bool {
        switch self {
        case .dialog, .message: false
        case .deletedDialog, .deletedMessage: true
        }
    }
}

/// Where a feed read starts: the beginning, the current end (for a client that has just
/// exported), or after a cursor.
public enum ChangeStart: Sendable, Equatable {
    case beginning
    case now
    case after(ChangeCursor)
}

/// One page of the change feed.
public struct ChangePage: Sendable, Equatable {
    public var changes: [ChatChange]
    /// Where the next read starts: after the last change here, or where this one started.
    public var nextCursor: ChangeCursor
    /// Whether more changes follow at once; an empty page means caught up.
    public var hasMore: Bool

    public init(changes: [ChatChange], nextCursor: ChangeCursor, hasMore: Bool) {
        self.changes = changes
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }
}
