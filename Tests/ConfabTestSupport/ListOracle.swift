import ConfabCore

/// The admin list semantics computed the obvious way, in memory: the oracle store and HTTP
/// results are compared with.
public enum ListOracle {
    public static func page(_ dialogs: [Dialog], query: ListQuery) -> ListPage<Dialog> {
        page(dialogs, query: query, dialogId: { _ in nil })
    }

    public static func page(_ messages: [Message], query: ListQuery) -> ListPage<Message> {
        page(messages, query: query, dialogId: { $0.chatDialogId })
    }

    private static func page<Row: ListedRow>(
        _ rows: [Row],
        query: ListQuery,
        dialogId: (Row) -> ObjectId?
    ) -> ListPage<Row> {
        let matching = rows.filter { row in
            if let wanted = query.chatDialogId, dialogId(row) != wanted { return false }
            return query.filters.allSatisfy { filter in
                switch filter {
                case .id(let comparison, let bound): comparison.admits(row.id, bound: bound)
                case .createdAt(let comparison, let bound): comparison.admits(row.createdAt, bound: bound)
                case .updatedAt(let comparison, let bound): comparison.admits(row.updatedAt, bound: bound)
                }
            }
        }
        let ascending = matching.sorted { lhs, rhs in
            let (left, right) =
                switch query.sort.field {
                case .id: (0 as Int64, 0 as Int64)
                case .createdAt: (lhs.createdAt, rhs.createdAt)
                case .updatedAt: (lhs.updatedAt, rhs.updatedAt)
                }
            return left != right ? left < right : lhs.id < rhs.id
        }
        let ordered = query.sort.direction == .ascending ? ascending : ascending.reversed()
        let items = Array(ordered.dropFirst(query.skip).prefix(query.limit))
        return ListPage(totalEntries: matching.count, skip: query.skip, limit: query.limit, items: items)
    }
}

/// What the oracle needs of a row.
public protocol ListedRow: Sendable {
    var id: ObjectId { get }
    var createdAt: Int64 { get }
    var updatedAt: Int64 { get }
}

extension Dialog: ListedRow {}
extension Message: ListedRow {}
