/// Turns the parameters of `GET /chat/Dialog` or `GET /chat/Message` into a `ChatListQuery`, or
/// into errors naming every parameter at fault. As strict as the admin lists: an unknown
/// parameter, field or operator is refused rather than ignored.
public enum ChatListQueryParser {
    /// - Parameter reserved: names the endpoint reads itself (`chat_dialog_id`, `mark_as_read`).
    public static func parse(
        _ parameters: [FormParameter],
        for collection: ChatCollection,
        reserved: Set<String> = []
    ) throws(ParameterErrors) -> ChatListQuery {
        var query = ChatListQuery()
        var errors = ParameterErrors()
        var seen = Set<String>()
        let fields = ChatListField.fields(of: collection)
        for parameter in parameters {
            let name = parameter.name
            let value = parameter.value
            guard seen.insert(name).inserted else {
                errors.add(name, "is given more than once; give it once")
                continue
            }
            if reserved.contains(name) { continue }
            switch name {
            case "limit":
                if let limit = Int(value), limit >= 1 {
                    query.limit = min(limit, ListQuery.maximumLimit)
                } else {
                    errors.add(
                        name, "must be an integer from 1 up (at most \(ListQuery.maximumLimit) rows are returned)")
                }
            case "skip", "offset":
                if let skip = Int(value), skip >= 0 {
                    query.skip = skip
                } else {
                    errors.add(name, "must be an integer from 0 up")
                }
            case "count":
                switch value {
                case "1", "true": query.countOnly = true
                case "0", "false": query.countOnly = false
                default: errors.add(name, "must be 1 or 0")
                }
            case "sort_asc", "sort_desc":
                if query.sort != nil {
                    errors.add(name, "cannot be combined with another sort; give one")
                } else if let field = ChatListField(rawValue: value), fields.contains(field) {
                    query.sort = ChatListSort(field: field, ascending: name == "sort_asc")
                } else {
                    errors.add(name, "must be one of \(fields.map(\.rawValue).joined(separator: ", "))")
                }
            default:
                if let filter = parseFilter(name: name, value: value, fields: fields, errors: &errors) {
                    query.filters.append(filter)
                }
            }
        }
        guard errors.isEmpty else { throw errors }
        return query
    }

    private static func parseFilter(
        name: String,
        value: String,
        fields: [ChatListField],
        errors: inout ParameterErrors
    ) -> ChatListFilter? {
        var fieldName = name
        var comparison = ChatListComparison.eq
        if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
            fieldName = String(name[..<open])
            let operatorName = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
            guard let parsed = ChatListComparison(rawValue: operatorName), parsed != .eq else {
                let operators = ChatListComparison.allCases.filter { $0 != .eq }.map(\.rawValue)
                errors.add(name, "has an unknown operator; operators: \(operators.joined(separator: ", "))")
                return nil
            }
            comparison = parsed
        }
        guard let field = ChatListField(rawValue: fieldName), fields.contains(field) else {
            errors.add(
                name,
                "is not a known parameter; filterable fields: \(fields.map(\.rawValue).joined(separator: ", "))"
                    + "; also limit, skip, sort_asc, sort_desc, count")
            return nil
        }
        let texts =
            comparison.takesList
            ? value.split(separator: ",", omittingEmptySubsequences: true).map(String.init) : [value]
        var values = [ChatListValue]()
        for text in texts {
            if field == .id {
                guard let id = ObjectId(hex: text) else {
                    errors.add(
                        name, comparison.takesList ? "must be ObjectIds separated by commas" : "must be an ObjectId")
                    return nil
                }
                values.append(.objectId(id))
            } else {
                guard let integer = Int64(text) else {
                    errors.add(
                        name, comparison.takesList ? "must be integers separated by commas" : "must be an integer")
                    return nil
                }
                values.append(.integer(integer))
            }
        }
        guard !values.isEmpty, values.count <= 1_000 else {
            errors.add(name, "must list from 1 to 1000 values")
            return nil
        }
        return ChatListFilter(field: field, comparison: comparison, values: values)
    }
}
