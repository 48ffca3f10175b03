import ConfabCore

/// The list semantics computed the obvious way, in memory: the oracle store and HTTP results
/// are compared with. Every field is read as a list of values (none for an absent one, any
/// number for `attachments.type`), which gives MongoDB's meaning to every operator at once.
public enum ListOracle {
    public static func page(_ dialogs: [Dialog], query: ListQuery) -> ListPage<Dialog> {
        page(dialogs, query: query, dialogId: { _ in nil })
    }

    public static func page(_ messages: [Message], query: ListQuery) -> ListPage<Message> {
        page(messages, query: query, dialogId: { $0.chatDialogId })
    }

    /// Whether `row` passes `filter`.
    public static func matches(_ row: some ListedRow, _ filter: ListFilter) -> Bool {
        let values = row.values(of: filter.field)
        switch filter.comparison {
        case .eq: return values.contains(filter.value)
        case .ne: return !values.contains(filter.value)
        case .lt, .lte, .gt, .gte: return values.contains { filter.comparison.admits($0, bound: filter.value) }
        case .in: return values.contains { filter.values.contains($0) }
        case .nin: return !values.contains { filter.values.contains($0) }
        case .all: return filter.values.allSatisfy { values.contains($0) }
        case .ctn:
            guard case .text(let part) = filter.value else { return false }
            return values.contains { value in
                guard case .text(let text) = value else { return false }
                return contains(Array(text.utf8), Array(part.utf8))
            }
        }
    }

    private static func contains(_ text: [UInt8], _ part: [UInt8]) -> Bool {
        guard !part.isEmpty else { return true }
        guard text.count >= part.count else { return false }
        return (0...(text.count - part.count)).contains { text[$0..<($0 + part.count)].elementsEqual(part) }
    }

    private static func page<Row: ListedRow>(
        _ rows: [Row],
        query: ListQuery,
        dialogId: (Row) -> ObjectId?
    ) -> ListPage<Row> {
        let matching = rows.filter { row in
            if let wanted = query.chatDialogId, dialogId(row) != wanted { return false }
            return query.filters.allSatisfy { matches(row, $0) }
        }
        let ascending = matching.sorted { lhs, rhs in
            let (left, right) = (lhs.sortKey(query.sort.field), rhs.sortKey(query.sort.field))
            return left != right ? left < right : lhs.id < rhs.id
        }
        let ordered = query.sort.direction == .ascending ? ascending : ascending.reversed()
        let items = Array(ordered.dropFirst(query.skip).prefix(query.limit))
        return ListPage(
            totalEntries: matching.count, skip: query.skip, limit: query.limit, items: query.countOnly ? [] : items)
    }
}

/// What the oracle needs of a row.
public protocol ListedRow: Sendable {
    var id: ObjectId { get }
    var createdAt: Int64 { get }
    var updatedAt: Int64 { get }
    /// The row's values of `field`: none when it lacks the field.
    func values(of field: ListField) -> [ListValue]
}

extension ListedRow {
    /// The key a sort by `field` orders by, before `_id` breaks ties.
    func sortKey(_ field: ListField) -> ListValue {
        field == .id ? .integer(0) : values(of: field).first ?? .integer(.min)
    }
}

extension Dialog: ListedRow {
    public func values(of field: ListField) -> [ListValue] {
        switch field {
        case .id: [.objectId(id)]
        case .createdAt: [.integer(createdAt)]
        case .updatedAt: [.integer(updatedAt)]
        case .type: [.integer(Int64(type.rawValue))]
        case .name: name.map { [.text($0)] } ?? []
        case .lastMessageDateSent: lastMessage.map { [.integer($0.dateSent)] } ?? []
        default: []
        }
    }
}

extension Message: ListedRow {
    public func values(of field: ListField) -> [ListValue] {
        switch field {
        case .id: [.objectId(id)]
        case .createdAt: [.integer(createdAt)]
        case .updatedAt: [.integer(updatedAt)]
        case .chatDialogId: [.objectId(chatDialogId)]
        case .message: text.map { [.text($0)] } ?? []
        case .dateSent: [.integer(dateSent)]
        case .senderId: [.integer(Int64(senderId))]
        case .recipientId: [.integer(Int64(recipientId))]
        case .attachmentsType: attachments.compactMap { $0["type"]?.stringValue }.map { .text($0) }
        default: []
        }
    }
}
