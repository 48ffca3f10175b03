import ConfabCore
import Foundation

/// A condition of an admin list, typed: `.updatedAt(.greaterThan(date))`, `.chatDialog(id)`.
/// The client turns filters into the query string; nobody writes `updated_at[gt]=` by hand.
public enum AdminFilter: Sendable, Equatable {
    case id(FilterBound<ObjectId>)
    case createdAt(FilterBound<Date>)
    case updatedAt(FilterBound<Date>)
    /// Messages only: the messages of one dialog.
    case chatDialog(ObjectId)

    /// The query these filters and this order ask for.
    ///
    /// The API keeps whole seconds, so a date with a fraction is rounded the way that keeps the
    /// meaning: `> 10.5 s` is `> 10`, `>= 10.5 s` is `>= 11`.
    ///
    /// - Throws: `AdminClientError` (`.invalidQuery`) for `chatDialog` on the dialog list, or
    ///   two different dialogs.
    static func listQuery(_ filters: [AdminFilter], sort: ListSort, for collection: ChatCollection)
        throws(AdminClientError) -> ListQuery
    {
        var query = ListQuery(sort: sort)
        for filter in filters {
            switch filter {
            case .id(let bound):
                query.filters += bound.conditions.map { .id($0.comparison, $0.value) }
            case .createdAt(let bound):
                query.filters += bound.conditions.map { .createdAt($0.comparison, seconds($0.value, $0.comparison)) }
            case .updatedAt(let bound):
                query.filters += bound.conditions.map { .updatedAt($0.comparison, seconds($0.value, $0.comparison)) }
            case .chatDialog(let id):
                guard collection == .messages else {
                    throw AdminClientError(.invalidQuery, messages: ["chat_dialog_id: filters messages only"])
                }
                if let other = query.chatDialogId, other != id {
                    throw AdminClientError(.invalidQuery, messages: ["chat_dialog_id: give one dialog"])
                }
                query.chatDialogId = id
            }
        }
        return query
    }

    private static func seconds(_ date: Date, _ comparison: ComparisonOperator) -> Int64 {
        let seconds = date.timeIntervalSince1970
        let rounded =
            switch comparison {
            case .gt, .lte: seconds.rounded(.down)
            default: seconds.rounded(.up)
            }
        return Int64(rounded)
    }
}
