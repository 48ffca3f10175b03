/// Turns the parameters of `GET /admin/chat/list` or `/admin/chat/messages/list` into a
/// `ListQuery`, or into errors that name every parameter at fault and what it accepts.
///
/// Strict on purpose (`chat-rest-api.md`): an unknown parameter, field or operator, or a
/// parameter given twice, is refused, so that a typo can never silently widen an export.
public enum ListQueryParser {
    public static func parse(
        _ parameters: [FormParameter],
        for collection: ChatCollection
    ) throws(ParameterErrors) -> ListQuery {
        var query = ListQuery()
        var errors = ParameterErrors()
        var seen = Set<String>()
        var sortParameter: String?

        for parameter in parameters {
            let name = parameter.name
            guard seen.insert(name).inserted else {
                errors.add(name, "is given more than once; give it once")
                continue
            }
            let value = parameter.value
            switch name {
            case "limit":
                if let limit = parseLimit(value) {
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
            case "sort_asc", "sort_desc":
                if let earlier = sortParameter {
                    errors.add(name, "cannot be combined with \(earlier); give one sort direction")
                    continue
                }
                sortParameter = name
                if let field = ListField(rawValue: value) {
                    query.sort = ListSort(field: field, direction: name == "sort_asc" ? .ascending : .descending)
                } else {
                    errors.add(name, "must be one of \(fieldList)")
                }
            case "chat_dialog_id" where collection == .messages:
                if let id = ObjectId(hex: value) {
                    query.chatDialogId = id
                } else {
                    errors.add(name, objectIdMessage)
                }
            default:
                if let filter = parseFilter(name: name, value: value, errors: &errors, collection: collection) {
                    query.filters.append(filter)
                }
            }
        }
        guard errors.isEmpty else { throw errors }
        return query
    }

    /// An integer from 1 up; above the maximum (however many digits) is the maximum.
    private static func parseLimit(_ value: String) -> Int? {
        if let limit = Int(value) {
            return limit >= 1 ? min(limit, ListQuery.maximumLimit) : nil
        }
        let digits = value.utf8.dropFirst(value.hasPrefix("+") ? 1 : 0)
        let isHugeInteger =
            !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && digits.contains { $0 != UInt8(ascii: "0") }
        return isHugeInteger ? ListQuery.maximumLimit : nil
    }

    private static func parseFilter(
        name: String,
        value: String,
        errors: inout ParameterErrors,
        collection: ChatCollection
    ) -> ListFilter? {
        guard let open = name.firstIndex(of: "["), name.hasSuffix("]") else {
            if let field = ListField(rawValue: name) {
                let forms = ComparisonOperator.allCases.map { "\(field.rawValue)[\($0.rawValue)]" }
                errors.add(name, "needs an operator: \(forms.joined(separator: ", "))")
            } else {
                errors.add(name, "is not a known parameter; accepted: \(acceptedParameters(for: collection))")
            }
            return nil
        }
        let fieldName = String(name[..<open])
        let operatorName = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
        guard let field = ListField(rawValue: fieldName) else {
            errors.add(name, "filters an unknown field \(fieldName); filterable fields: \(fieldList)")
            return nil
        }
        guard let comparison = ComparisonOperator(rawValue: operatorName) else {
            let operators = ComparisonOperator.allCases.map(\.rawValue).joined(separator: ", ")
            errors.add(name, "has an unknown operator \(operatorName); operators: \(operators)")
            return nil
        }
        switch field {
        case .id:
            guard let id = ObjectId(hex: value) else {
                errors.add(name, objectIdMessage)
                return nil
            }
            return .id(comparison, id)
        case .createdAt, .updatedAt:
            guard let seconds = Int64(value) else {
                errors.add(name, "must be an integer unix timestamp in seconds")
                return nil
            }
            return field == .createdAt ? .createdAt(comparison, seconds) : .updatedAt(comparison, seconds)
        }
    }

    private static let fieldList = ListField.allCases.map(\.rawValue).joined(separator: ", ")
    private static let objectIdMessage = "must be an ObjectId: 24 hexadecimal characters"

    private static func acceptedParameters(for collection: ChatCollection) -> String {
        var accepted = ListField.allCases.map { "\($0.rawValue)[gt|lt|gte|lte]" }
        if collection == .messages { accepted.append("chat_dialog_id") }
        accepted += ["limit", "skip", "offset", "sort_asc", "sort_desc"]
        return accepted.joined(separator: ", ")
    }
}
