import ConfabCore
import ConfabRequests
import ConfabStore

/// `GET /users/v2` and `GET /users` (v1) as parsed into a `UserQuery`. Parameters neither
/// knows are ignored, as everywhere on the chat API.
extension UserQuery {
    /// The fields v2 takes alone (at least one of them, with `=`, `[in]` or `[start_with]`).
    static let standAlone: [String: Field] = [
        "id": .id, "login": .login, "email": .email, "full_name": .fullName, "phone": .phone,
        "external_id": .externalUserId, "external_user_id": .externalUserId, "facebook_id": .facebookId,
        "twitter_id": .twitterId,
    ]
    static let dates: [String: Field] = ["created_at": .createdAt, "updated_at": .updatedAt]
    /// ConnectyCube's minimum for `start_with`, which also caps the page at 5.
    static let startWithMinimum = 4

    /// `GET /users/v2`: `id=1`, `id[in][]=1&id[in][]=2` (or `id[in]=1,2`), `full_name[start_with]=dav`,
    /// `[nin]`, dates with `gt lt gte lte`, `offset`/`skip`, `limit`, `sort_asc`/`sort_desc`.
    static func v2(_ parameters: [FormParameter]) throws(ParameterErrors) -> UserQuery {
        var reader = V2Reader()
        for parameter in parameters { reader.read(parameter) }
        return try reader.finish()
    }

    /// Reads v2 parameters one by one; the lists (`[in][]` repeated) are gathered and read last.
    private struct V2Reader {
        var query = UserQuery()
        var errors = ParameterErrors()
        var lists = [String: [String]]()
        /// Whether a stand-alone field came with `=`, `[in]` or `[start_with]`, as v2 requires.
        var primary = false

        mutating func read(_ parameter: FormParameter) {
            let (name, operation) = UserQuery.split(parameter.name)
            switch (name, operation) {
            case ("limit", nil):
                query.limit = UserQuery.page(parameter, 1...Int64(ListQuery.maximumLimit), &errors) ?? 100
            case ("offset", nil), ("skip", nil):
                query.skip = UserQuery.page(parameter, 0...Int64(Int32.max), &errors) ?? 0
            case ("sort_asc", nil), ("sort_desc", nil):
                guard let field = Field(rawValue: parameter.value) else {
                    let fields = Field.allCases.map(\.rawValue).joined(separator: ", ")
                    return errors.add(parameter.name, "must be one of \(fields)")
                }
                (query.sort, query.ascending) = (field, name == "sort_asc")
            case (_, "in"?), (_, "nin"?):
                guard UserQuery.standAlone[name] != nil else { return }
                lists["\(name)[\(operation!)]", default: []] += ParameterReader.commaSeparated(parameter.value)
            case (_, nil), (_, "start_with"?):
                readStandAlone(parameter, name, startsWith: operation != nil)
            case (_, let operation?):
                readDate(parameter, name, operation)
            }
        }

        mutating func readStandAlone(_ parameter: FormParameter, _ name: String, startsWith: Bool) {
            guard let field = UserQuery.standAlone[name],
                let value = UserQuery.value(parameter.value, of: field, parameter.name, &errors)
            else { return }
            if !startsWith {
                query.conditions.append(.oneOf(field, [value]))
            } else if parameter.value.count < UserQuery.startWithMinimum || field.isNumeric {
                errors.add(
                    parameter.name, "must start a text field with at least \(UserQuery.startWithMinimum) characters")
            } else {
                query.conditions.append(.startsWith(field, parameter.value))
            }
            primary = true
        }

        mutating func readDate(_ parameter: FormParameter, _ name: String, _ operation: String) {
            guard let field = UserQuery.dates[name], let comparison = ComparisonOperator(rawValue: operation),
                [.lt, .lte, .gt, .gte].contains(comparison)
            else { return }
            guard let seconds = UserQuery.time(parameter.value) else {
                return errors.add(parameter.name, "must be a time: unix seconds or ISO 8601")
            }
            query.conditions.append(.compare(field, comparison, .integer(seconds)))
        }

        mutating func finish() throws(ParameterErrors) -> UserQuery {
            for (key, texts) in lists.sorted(by: { $0.key < $1.key }) {
                let (name, operation) = UserQuery.split(key)
                guard let field = UserQuery.standAlone[name] else { continue }
                let values = texts.compactMap { UserQuery.value($0, of: field, key, &errors) }
                guard !values.isEmpty, values.count <= ListQueryParser.maximumValues else {
                    errors.add(key, "must list from 1 to \(ListQueryParser.maximumValues) values")
                    continue
                }
                query.conditions.append(operation == "in" ? .oneOf(field, values) : .noneOf(field, values))
                primary = primary || operation == "in"
            }
            if !primary, errors.isEmpty {
                errors.add(
                    "id",
                    "or another of login, email, full_name, phone, external_id, facebook_id, twitter_id is required, "
                        + "with =, [in] or [start_with]")
            }
            if query.conditions.contains(where: { if case .startsWith = $0 { true } else { false } }) {
                query.limit = min(query.limit, 5)
            }
            guard errors.isEmpty else { throw errors }
            return query
        }
    }

    /// `GET /users`: `filter[]=number+id+in+1,2` (type, field, operator, value), `page`,
    /// `per_page` (default 10), `order=asc+string+login`.
    static func v1(_ parameters: [FormParameter]) throws(ParameterErrors) -> (query: UserQuery, page: Int) {
        var query = UserQuery()
        query.limit = 10
        var pageNumber = 1
        var errors = ParameterErrors()
        for parameter in parameters {
            switch parameter.name {
            case "filter[]", "filter":
                guard let conditions = filter(parameter.value) else {
                    errors.add(
                        parameter.name,
                        "must be type field operator value: number, string or date; gt lt ge le eq ne between in")
                    continue
                }
                query.conditions += conditions
            case "page": pageNumber = page(parameter, 1...Int64(Int32.max), &errors) ?? 1
            case "per_page": query.limit = page(parameter, 1...Int64(ListQuery.maximumLimit), &errors) ?? 10
            case "order":
                let words = parameter.value.split(separator: " ")
                guard words.count == 3, ["asc", "desc"].contains(words[0]),
                    let field = Field(rawValue: String(words[2]))
                else {
                    errors.add("order", "must be asc or desc, a type and a field: asc string login")
                    continue
                }
                (query.sort, query.ascending) = (field, words[0] == "asc")
            default: continue
            }
        }
        guard errors.isEmpty else { throw errors }
        query.skip = (pageNumber - 1) * query.limit
        return (query, pageNumber)
    }

    /// `number id in 1,2` (form encoding turned the `+` into spaces).
    private static func filter(_ text: String) -> [Condition]? {
        let words = text.split(separator: " ", maxSplits: 3).map(String.init)
        guard words.count == 4, ["number", "string", "date"].contains(words[0]),
            let field = Field(rawValue: words[1])
        else { return nil }
        func one(_ text: String) -> Value? {
            if words[0] == "date" {
                guard field == .createdAt || field == .updatedAt else { return nil }
                return time(text.replacingOccurrences(of: ".", with: "-")).map(Value.integer)
            }
            return words[0] == "number" ? Int64(text).map(Value.integer) : .text(text)
        }
        let values = ParameterReader.commaSeparated(words[3]).compactMap(one)
        switch words[2] {
        case "eq": return values.first.map { [.oneOf(field, [$0])] }
        case "in": return values.isEmpty || values.count > ListQueryParser.maximumValues ? nil : [.oneOf(field, values)]
        case "between":
            guard values.count == 2 else { return nil }
            return [.compare(field, .gte, values[0]), .compare(field, .lte, values[1])]
        default:
            let operators: [String: ComparisonOperator] = ["gt": .gt, "lt": .lt, "ge": .gte, "le": .lte, "ne": .ne]
            guard let comparison = operators[words[2]], let value = values.first else { return nil }
            return [.compare(field, comparison, value)]
        }
    }

    fileprivate static func split(_ name: String) -> (String, String?) {
        var name = Substring(name)
        if name.hasSuffix("[]") { name = name.dropLast(2) }
        guard let open = name.firstIndex(of: "["), name.hasSuffix("]") else { return (String(name), nil) }
        return (String(name[..<open]), String(name[name.index(after: open)..<name.index(before: name.endIndex)]))
    }

    fileprivate static func value(_ text: String, of field: Field, _ parameter: String, _ errors: inout ParameterErrors)
        -> Value?
    {
        guard field.isNumeric else { return .text(text) }
        guard let integer = Int64(text.trimmingSpaces) else {
            errors.add(parameter, "must be an integer")
            return nil
        }
        return .integer(integer)
    }

    fileprivate static func page(
        _ parameter: FormParameter, _ range: ClosedRange<Int64>, _ errors: inout ParameterErrors
    )
        -> Int?
    {
        guard let value = Int64(parameter.value), range.contains(value) else {
            errors.add(parameter.name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(value)
    }

    /// Unix seconds, or ISO 8601 (a date alone is its midnight UTC).
    fileprivate static func time(_ text: String) -> Int64? {
        if let seconds = Int64(text) { return seconds }
        return UTCTimestamp.seconds(iso8601: text.count == 10 ? text + "T00:00:00Z" : text)
    }
}
