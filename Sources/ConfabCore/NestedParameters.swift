/// Turns form pairs with bracketed names into the JSON object that the same request sent as
/// JSON would carry: `user[login]=a` is `{"user":{"login":"a"}}`, `ids[]=1&ids[]=2` is
/// `{"ids":["1","2"]}`, `attachments[0][type]=image` is `{"attachments":{"0":{"type":"image"}}}`.
///
/// ConnectyCube's SDKs send the same request either way, so the API reads one shape.
/// Values stay strings; `ParameterReader` converts them where a number is expected.
public enum NestedParameters {
    /// Fails, naming the parameter, when a name is malformed, given twice, or used both as a
    /// value and as a container.
    public static func nest(_ parameters: [FormParameter]) throws(ParameterErrors) -> JSONObject {
        var root = JSONObject()
        var errors = ParameterErrors()
        for parameter in parameters {
            guard let path = path(of: parameter.name) else {
                errors.add(parameter.name, "is not a valid parameter name")
                continue
            }
            if !insert(.string(parameter.value), at: path[...], into: &root) {
                errors.add(parameter.name, "is given more than once or conflicts with another parameter")
            }
        }
        guard errors.isEmpty else { throw errors }
        return root
    }

    /// `a[b][]` → `["a", "b", ""]`; `nil` for an empty head or unbalanced brackets.
    static func path(of name: String) -> [String]? {
        guard let open = name.firstIndex(of: "[") else { return name.isEmpty ? nil : [name] }
        let head = String(name[..<open])
        guard !head.isEmpty else { return nil }
        var path = [head]
        var rest = name[open...]
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
            path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return path
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: inout JSONObject) -> Bool {
        let key = path.first!
        let rest = path.dropFirst()
        if rest.isEmpty {
            guard object[key] == nil else { return false }
            object[key] = value
            return true
        }
        if rest.first == "" {
            // `key[]=v`: append to an array (only as the last step).
            guard rest.count == 1 else { return false }
            switch object[key] {
            case nil:
                object[key] = .array([value])
            case .array(var elements):
                elements.append(value)
                object[key] = .array(elements)
            default:
                return false
            }
            return true
        }
        var inner: JSONObject
        switch object[key] {
        case nil: inner = JSONObject()
        case .object(let existing): inner = existing
        default: return false
        }
        guard insert(value, at: rest, into: &inner) else { return false }
        object[key] = .object(inner)
        return true
    }
}
