/// What one list endpoint accepts: its fields and each one's operators, its sorts and default
/// order, and the few parameters only some lists have. Every list is parsed by
/// `ListQueryParser` under its grammar, so the lists differ only where a line here says so
/// (docs/list-queries.md has them as a table).
public struct ListGrammar: Sendable {
    /// The fields a filter may name, with the operators each takes (`eq` is the bare form).
    public var operators: [ListField: [ComparisonOperator]]
    /// The fields, in the order error messages list them.
    public var fields: [ListField]
    public var sorts: [ListField]
    public var defaultSort: ListSort
    /// The admin messages list: `chat_dialog_id=` names the one dialog listed.
    public var takesDialog: Bool
    /// The user lists: `count=1` answers the number of matches alone.
    public var takesCount: Bool

    /// The operators of a field of `kind`: `ctn` for text only.
    static func operators(for field: ListField) -> [ComparisonOperator] {
        let all = ComparisonOperator.allCases.filter { $0 != .ctn }
        switch field {
        case .attachmentsType: return [.eq, .ne, .in, .nin, .all, .ctn]
        case .chatDialogId: return [.eq]
        default: return field.kind == .text ? all + [.ctn] : all
        }
    }

    init(fields: [ListField], sorts: [ListField], defaultSort: ListSort, takesDialog: Bool, takesCount: Bool) {
        self.fields = fields
        self.operators = Dictionary(uniqueKeysWithValues: fields.map { ($0, Self.operators(for: $0)) })
        self.sorts = sorts
        self.defaultSort = defaultSort
        self.takesDialog = takesDialog
        self.takesCount = takesCount
    }

    static let dialogFields: [ListField] = [.id, .type, .name, .lastMessageDateSent, .createdAt, .updatedAt]
    static let messageFields: [ListField] = [
        .id, .message, .dateSent, .senderId, .recipientId, .attachmentsType, .createdAt, .updatedAt,
    ]
    /// The admin lists sort by what their counted trees and indexes keep.
    static let adminSorts: [ListField] = [.id, .createdAt, .updatedAt]

    /// `GET /admin/chat/list`: Retrieve Dialogs' filters, newest first.
    public static let adminDialogs = ListGrammar(
        fields: dialogFields, sorts: adminSorts, defaultSort: .default, takesDialog: false, takesCount: false)

    /// `GET /admin/chat/messages/list`: Retrieve Messages' filters and `chat_dialog_id`, newest first.
    public static let adminMessages = ListGrammar(
        fields: messageFields, sorts: adminSorts, defaultSort: .default, takesDialog: true, takesCount: false)

    /// `GET /chat/Dialog`: the dialogs with the newest message first.
    public static let userDialogs = ListGrammar(
        fields: dialogFields, sorts: [.id, .type, .createdAt, .updatedAt, .lastMessageDateSent],
        defaultSort: ListSort(field: .lastMessageDateSent, direction: .descending), takesDialog: false,
        takesCount: true)

    /// `GET /chat/Message` (its `chat_dialog_id` is the endpoint's own): oldest first.
    public static let userMessages = ListGrammar(
        fields: messageFields, sorts: [.id, .createdAt, .updatedAt, .dateSent, .senderId],
        defaultSort: ListSort(field: .dateSent, direction: .ascending), takesDialog: false, takesCount: true)

    /// The admin grammar of a collection.
    public static func admin(_ collection: ChatCollection) -> ListGrammar {
        collection == .dialogs ? .adminDialogs : .adminMessages
    }
}
