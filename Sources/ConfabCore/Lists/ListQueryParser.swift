/// Turns a list request's parameters into a `ListQuery` under the list's `ListGrammar`, or
/// into errors that name every parameter at fault and what it accepts.
///
/// The admin lists are strict on purpose (`chat-rest-api.md`): an unknown parameter, field or
/// operator, a value of the wrong kind, or a parameter given twice, is refused, so that a typo
/// can never silently widen an export. The user lists ignore what their grammar does not know
/// (`UnknownParameters.chatAPI`), and refuse the rest as the admin lists do.
public enum ListQueryParser {
    /// The most values one `in`, `nin` or `all` takes.
    public static let maximumValues = 1_000

    /// - Parameter reserved: names the endpoint reads itself (`chat_dialog_id`, `mark_as_read`).
    public static func parse(
        _ parameters: [FormParameter], grammar: ListGrammar, reserved: Set<String> = []
    ) throws(ParameterErrors) -> ListQuery {
        var reader = Reader(grammar: grammar)
        for parameter in parameters {
            if grammar.unknownParameters == .ignore, !reserved.contains(parameter.name),
                !grammar.knows(parameter.name)
            {
                continue
            }
            guard reader.seen.insert(parameter.name).inserted else {
                reader.errors.add(parameter.name, "is given more than once; give it once")
                continue
            }
            if !reserved.contains(parameter.name) { reader.read(parameter.name, parameter.value) }
        }
        guard reader.errors.isEmpty else { throw reader.errors }
        return reader.query
    }

    /// An admin list's parameters.
    public static func parse(_ parameters: [FormParameter], for collection: ChatCollection) throws(ParameterErrors)
        -> ListQuery
    {
        try parse(parameters, grammar: .admin(collection))
    }

    static let objectIdMessage = "must be an ObjectId: 24 hexadecimal characters"

    private struct Reader {
        let grammar: ListGrammar
        var query: ListQuery
        var errors = ParameterErrors()
        var seen = Set<String>()
        var sortParameter: String?

        init(grammar: ListGrammar) {
            self.grammar = grammar
            query = ListQuery(sort: grammar.defaultSort)
        }

        mutating func read(_ name: String, _ value: String) {
            switch name {
            case "limit":
                if let limit = ListQueryParser.limit(value) {
                    query.limit = limit
                } else {
                    errors.add(
                        name, "must be an integer from 1 up (at most \(ListQuery.maximumLimit) rows are returned)")
                }
            case "skip", "offset":
                let other = name == "skip" ? "offset" : "skip"
                if seen.contains(other) {
                    errors.add(name, "is the same as \(other); give only one of them")
                } else if let skip = Int(value), skip >= 0 {
                    query.skip = skip
                } else {
                    errors.add(name, "must be an integer from 0 up to \(Int.max)")
                }
            case "sort_asc", "sort_desc": readSort(name, value)
            case "count" where grammar.takesCount:
                switch value {
                case "1", "true": query.countOnly = true
                case "0", "false": query.countOnly = false
                default: errors.add(name, "must be 1 or 0")
                }
            case "chat_dialog_id" where grammar.takesDialog:
                if let id = ObjectId(hex: value) {
                    query.chatDialogId = id
                } else {
                    errors.add(name, ListQueryParser.objectIdMessage)
                }
            default:
                if grammar.takesExtensions, let extensionName = ListGrammar.extensionName(name) {
                    readExtension(String(extensionName), value, parameter: name)
                } else if let filter = filter(name, value) {
                    query.filters.append(filter)
                }
            }
        }

        mutating func readExtension(_ name: String, _ value: String, parameter: String) {
            if !Dialog.isExtensionName(name) {
                errors.add(parameter, "extension names are 1 to 64 letters, digits or _")
            } else if value.utf8.contains(0) {
                errors.add(parameter, "must be text without NUL characters")
            } else if query.extensions.count == Dialog.maximumExtensions {
                errors.add(parameter, "a dialog has at most \(Dialog.maximumExtensions) extension fields to filter by")
            } else {
                query.extensions[name] = value
            }
        }

        mutating func readSort(_ name: String, _ value: String) {
            if let earlier = sortParameter {
                errors.add(name, "cannot be combined with \(earlier); give one sort direction")
                return
            }
            sortParameter = name
            if let field = ListField(rawValue: value), grammar.sorts.contains(field) {
                query.sort = ListSort(field: field, direction: name == "sort_asc" ? .ascending : .descending)
            } else {
                errors.add(name, "must be one of \(grammar.sorts.map(\.rawValue).joined(separator: ", "))")
            }
        }

        /// `field=value` or `field[op]=value`.
        mutating func filter(_ name: String, _ value: String) -> ListFilter? {
            var fieldName = name
            var comparison = ComparisonOperator.eq
            let bracketed = name.firstIndex(of: "[").map { ($0, name.hasSuffix("]")) }
            if let (open, closed) = bracketed, closed {
                fieldName = String(name[..<open])
                let operatorName = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
                guard let field = field(fieldName, parameter: name) else { return nil }
                let operators = grammar.operators[field] ?? []
                guard let parsed = ComparisonOperator(rawValue: operatorName), parsed != .eq, operators.contains(parsed)
                else {
                    let forms = operators.filter { $0 != .eq }.map(\.rawValue).joined(separator: ", ")
                    errors.add(name, "has an unknown operator \(operatorName); operators of \(fieldName): \(forms)")
                    return nil
                }
                comparison = parsed
            } else if ListField(rawValue: name).flatMap({ grammar.operators[$0] }) == nil {
                errors.add(name, "is not a known parameter; accepted: \(accepted)")
                return nil
            }
            guard let field = ListField(rawValue: fieldName) else { return nil }
            return values(value, of: field, comparison, parameter: name).map { ListFilter(field, comparison, $0) }
        }

        mutating func field(_ name: String, parameter: String) -> ListField? {
            guard let field = ListField(rawValue: name), grammar.operators[field] != nil else {
                let fields = grammar.fields.map(\.rawValue).joined(separator: ", ")
                errors.add(parameter, "filters an unknown field \(name); filterable fields: \(fields)")
                return nil
            }
            return field
        }

        mutating func values(_ text: String, of field: ListField, _ comparison: ComparisonOperator, parameter: String)
            -> [ListValue]?
        {
            // ConnectyCube's SDKs join lists with ", ": spaces around an id, a number or a time
            // are dropped; text is compared as sent.
            let texts =
                comparison.takesList
                ? text.split(separator: ",", omittingEmptySubsequences: false).map {
                    field.kind == .text ? String($0) : $0.trimmingSpaces
                } : [text]
            guard (1...ListQueryParser.maximumValues).contains(texts.count), !comparison.takesList || !text.isEmpty
            else {
                errors.add(
                    parameter, "must list from 1 to \(ListQueryParser.maximumValues) values, separated by commas")
                return nil
            }
            var values = [ListValue]()
            values.reserveCapacity(texts.count)
            for text in texts {
                guard let value = ListValue(parsing: text, as: field.kind) else {
                    errors.add(parameter, ListQueryParser.kindMessage(field, list: comparison.takesList))
                    return nil
                }
                values.append(value)
            }
            return values
        }

        var accepted: String {
            var names = grammar.fields.map { "\($0.rawValue)[op]" }
            if grammar.takesDialog { names.append("chat_dialog_id") }
            names += ["limit", "skip", "offset", "sort_asc", "sort_desc"]
            if grammar.takesCount { names.append("count") }
            if grammar.takesExtensions { names.append("extensions[name]") }
            return names.joined(separator: ", ")
        }
    }

    /// What a value of `field` must be.
    static func kindMessage(_ field: ListField, list: Bool) -> String {
        switch (field.kind, list) {
        case (.objectId, false): objectIdMessage
        case (.objectId, true): "must be ObjectIds (24 hexadecimal characters) separated by commas"
        case (.integer, false): field.isDate ? "must be an integer unix timestamp in seconds" : "must be an integer"
        case (.integer, true):
            field.isDate
                ? "must be integer unix timestamps in seconds, separated by commas"
                : "must be integers separated by commas"
        case (.text, _): "must be text without NUL characters"
        }
    }

    /// An integer from 1 up; above the maximum (however many digits) is the maximum.
    public static func limit(_ value: String, maximum: Int = ListQuery.maximumLimit) -> Int? {
        if let limit = Int(value) {
            return limit >= 1 ? min(limit, maximum) : nil
        }
        let digits = value.utf8.dropFirst(value.hasPrefix("+") ? 1 : 0)
        let isHugeInteger =
            !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && digits.contains { $0 != UInt8(ascii: "0") }
        return isHugeInteger ? maximum : nil
    }
}
