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
    /// The user dialogs list: `extensions[name]=value` (`Dialog.extensions`).
    public var takesExtensions: Bool
    /// Refused on the admin lists, ignored on the user lists (`UnknownParameters`).
    public var unknownParameters: UnknownParameters

    /// The operators of a field of `kind`: `ctn` for text only.
    static func operators(for field: ListField) -> [ComparisonOperator] {
        let all = ComparisonOperator.allCases.filter { $0 != .ctn }
        switch field {
        case .attachmentsType: return [.eq, .ne, .in, .nin, .all, .ctn]
        case .chatDialogId: return [.eq]
        default: return field.kind == .text ? all + [.ctn] : all
        }
    }

    init(
        fields: [ListField], sorts: [ListField], defaultSort: ListSort, takesDialog: Bool, takesCount: Bool,
        takesExtensions: Bool = false, unknownParameters: UnknownParameters
    ) {
        self.fields = fields
        self.operators = Dictionary(uniqueKeysWithValues: fields.map { ($0, Self.operators(for: $0)) })
        self.sorts = sorts
        self.defaultSort = defaultSort
        self.takesDialog = takesDialog
        self.takesCount = takesCount
        self.takesExtensions = takesExtensions
        self.unknownParameters = unknownParameters
    }

    static let dialogFields: [ListField] = [.id, .type, .name, .lastMessageDateSent, .createdAt, .updatedAt]
    static let messageFields: [ListField] = [
        .id, .message, .dateSent, .senderId, .recipientId, .attachmentsType, .createdAt, .updatedAt,
    ]
    /// The admin lists sort by what their counted trees and indexes keep.
    static let adminSorts: [ListField] = [.id, .createdAt, .updatedAt]

    /// `GET /admin/chat/list`: Retrieve Dialogs' filters, newest first.
    public static let adminDialogs = ListGrammar(
        fields: dialogFields, sorts: adminSorts, defaultSort: .default, takesDialog: false, takesCount: false,
        unknownParameters: .adminAPI)

    /// `GET /admin/chat/messages/list`: Retrieve Messages' filters and `chat_dialog_id`, newest first.
    public static let adminMessages = ListGrammar(
        fields: messageFields, sorts: adminSorts, defaultSort: .default, takesDialog: true, takesCount: false,
        unknownParameters: .adminAPI)

    /// `GET /chat/Dialog`: the dialogs with the newest message first.
    public static let userDialogs = ListGrammar(
        fields: dialogFields, sorts: [.id, .type, .createdAt, .updatedAt, .lastMessageDateSent],
        defaultSort: ListSort(field: .lastMessageDateSent, direction: .descending), takesDialog: false,
        takesCount: true, takesExtensions: true, unknownParameters: .chatAPI)

    /// `GET /chat/Message` (its `chat_dialog_id` is the endpoint's own): oldest first.
    public static let userMessages = ListGrammar(
        fields: messageFields, sorts: [.id, .createdAt, .updatedAt, .dateSent, .senderId],
        defaultSort: ListSort(field: .dateSent, direction: .ascending), takesDialog: false, takesCount: true,
        unknownParameters: .chatAPI)

    /// Whether `name` is a parameter of this list: paging, sort, `count` or `chat_dialog_id`
    /// where the list takes them, or a field with one of its operators (`type`, `type[in]`).
    public func knows(_ name: String) -> Bool {
        switch name {
        case "limit", "skip", "offset", "sort_asc", "sort_desc": return true
        case "count": return takesCount
        case "chat_dialog_id": return takesDialog
        default: break
        }
        if takesExtensions, Self.extensionName(name) != nil { return true }
        var fieldName = Substring(name)
        var comparison = ComparisonOperator.eq
        if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
            fieldName = name[..<open]
            let operatorName = name[name.index(after: open)..<name.index(before: name.endIndex)]
            guard let parsed = ComparisonOperator(rawValue: String(operatorName)), parsed != .eq else { return false }
            comparison = parsed
        }
        guard let field = ListField(rawValue: String(fieldName)) else { return false }
        return operators[field]?.contains(comparison) ?? false
    }

    /// `location` of `extensions[location]`; nil for any other name. The name inside is checked
    /// by the parser, so that a bad one is refused rather than ignored.
    static func extensionName(_ parameter: String) -> Substring? {
        guard parameter.hasPrefix("extensions["), parameter.hasSuffix("]") else { return nil }
        return parameter.dropFirst("extensions[".count).dropLast()
    }

    /// The admin grammar of a collection.
    public static func admin(_ collection: ChatCollection) -> ListGrammar {
        collection == .dialogs ? .adminDialogs : .adminMessages
    }
}
