import ConfabCore

/// Turns form pairs with bracketed names into the JSON object that the same request sent as
/// JSON would carry: `user[login]=a` is `{"user":{"login":"a"}}`, `ids[]=1&ids[]=2` is
/// `{"ids":["1","2"]}`, `attachments[0][type]=image` is `{"attachments":{"0":{"type":"image"}}}`.
///
/// ConnectyCube's SDKs send the same request either way, so the API reads one shape.
/// Values stay strings; `ParameterReader` converts them where a number is expected.
public enum NestedParameters {
    /// Fails, naming the parameter, when a name is malformed, nested deeper than
    /// `limits.maximumDepth`, given twice, used both as a value and as a container, or would
    /// put more than `limits.maximumElements` into one array or object.
    public static func nest(
        _ parameters: [FormParameter], limits: InputLimits = .standard
    ) throws(ParameterErrors) -> JSONObject {
        var root = JSONObject()
        var errors = ParameterErrors()
        for parameter in parameters {
            guard let path = path(of: parameter.name, maximumDepth: limits.maximumDepth) else {
                errors.add(
                    parameter.name,
                    "is not a valid parameter name (at most \(limits.maximumDepth) levels of brackets)")
                continue
            }
            switch insert(.string(parameter.value), at: path[...], into: &root, limits: limits) {
            case .inserted: break
            case .conflict:
                errors.add(parameter.name, "is given more than once or conflicts with another parameter")
            case .tooMany:
                errors.add(parameter.name, "has more than \(limits.maximumElements) elements (the limit)")
            }
        }
        guard errors.isEmpty else { throw errors }
        return root
    }

    /// `a[b][]` → `["a", "b", ""]`; `nil` for an empty head, unbalanced brackets, or more than
    /// `maximumDepth` segments (found before the rest of the name is read).
    static func path(of name: String, maximumDepth: Int = InputLimits.standard.maximumDepth) -> [String]? {
        guard let open = name.firstIndex(of: "[") else { return name.isEmpty ? nil : [name] }
        let head = String(name[..<open])
        guard !head.isEmpty else { return nil }
        var path = [head]
        var rest = name[open...]
        while !rest.isEmpty {
            guard path.count < maximumDepth, rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
            path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return path
    }

    private enum Insertion {
        case inserted, conflict, tooMany
    }

    /// Recurses once per path segment, so at most `maximumDepth` deep. Containers are taken out
    /// of their parent while they change, so they are modified in place rather than copied.
    private static func insert(
        _ value: JSONValue, at path: ArraySlice<String>, into object: inout JSONObject, limits: InputLimits
    ) -> Insertion {
        let key = path.first!
        let rest = path.dropFirst()
        let index = object.members.firstIndex { $0.key == key }
        if index == nil, object.members.count >= limits.maximumElements { return .tooMany }
        if rest.isEmpty {
            guard index == nil else { return .conflict }
            object.members.append(.init(key: key, value: value))
            return .inserted
        }
        if rest.first == "" {
            // `key[]=v`: append to an array (only as the last step).
            guard rest.count == 1 else { return .conflict }
            guard let index else {
                object.members.append(.init(key: key, value: .array([value])))
                return .inserted
            }
            guard case .array(var elements) = object.members[index].value else { return .conflict }
            guard elements.count < limits.maximumElements else { return .tooMany }
            object.members[index].value = .null
            elements.append(value)
            object.members[index].value = .array(elements)
            return .inserted
        }
        guard let index else {
            var inner = JSONObject()
            let result = insert(value, at: rest, into: &inner, limits: limits)
            if result == .inserted { object.members.append(.init(key: key, value: .object(inner))) }
            return result
        }
        guard case .object(var inner) = object.members[index].value else { return .conflict }
        object.members[index].value = .null
        let result = insert(value, at: rest, into: &inner, limits: limits)
        object.members[index].value = .object(inner)
        return result
    }
}
