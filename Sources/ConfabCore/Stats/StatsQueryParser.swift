/// Turns a statistics request's parameters into a `StatsQuery` under the decisions of
/// `admin-stats-api.md`, or into errors naming every parameter at fault: as strict as the admin
/// lists (an unknown parameter, or one given twice, is refused by name).
public enum StatsQueryParser {
    /// The names that may repeat: each adds its types.
    static let repeatable: Set<String> = ["types[]"]

    public static func parse(_ parameters: [FormParameter], for endpoint: StatsEndpoint) throws(ParameterErrors)
        -> StatsQuery
    {
        var errors = ParameterErrors()
        var seen = Set<String>()
        var start: Int64?
        var end: Int64?
        var types: [DialogType] = []
        var window = endpoint.isPerDay ? DayWindow() : nil
        let takesTypes = endpoint.subject == .dialogsCreated
        for parameter in parameters {
            let (name, value) = (parameter.name, parameter.value)
            guard seen.insert(name).inserted || Self.repeatable.contains(name) else {
                errors.add(name, "is given more than once; give it once")
                continue
            }
            switch name {
            case "start_date", "end_date":
                guard let seconds = Int64(value) else {
                    errors.add(name, "must be an integer unix timestamp in seconds")
                    continue
                }
                if name == "start_date" { start = seconds } else { end = seconds }
            case "types[]" where takesTypes, "types" where takesTypes:
                // `types[]=2&types[]=3`, the docs' form; `types=2,3` and a JSON array are read alike.
                for text in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let number = Int(text.trimmingSpaces), let type = DialogType(rawValue: number) else {
                        errors.add(name, "must be dialog types: 1 (broadcast), 2 (group), 3 (private) or 4 (public)")
                        break
                    }
                    types.append(type)
                }
            case "limit" where window != nil:
                if let limit = ListQueryParser.limit(value, maximum: DayWindow.maximumLimit) {
                    window?.limit = limit
                } else {
                    errors.add(
                        name, "must be an integer from 1 up (at most \(DayWindow.maximumLimit) days are returned)")
                }
            case "offset" where window != nil:
                if let offset = Int(value), offset >= 0 {
                    window?.offset = offset
                } else {
                    errors.add(name, "must be an integer from 0 up to \(Int.max)")
                }
            default:
                errors.add(name, "is not a known parameter; accepted: \(accepted(endpoint).joined(separator: ", "))")
            }
        }
        if let start, let end, start > end {
            errors.add("start_date", "is after end_date; both are inclusive, so start_date <= end_date")
        }
        guard errors.isEmpty else { throw errors }
        return StatsQuery(subject: endpoint.subject, start: start, end: end, types: types, days: window)
    }

    /// The parameters `endpoint` takes.
    public static func accepted(_ endpoint: StatsEndpoint) -> [String] {
        var names = ["start_date", "end_date"]
        if endpoint.subject == .dialogsCreated { names.append("types[]") }
        if endpoint.isPerDay { names += ["limit", "offset"] }
        return names
    }
}
