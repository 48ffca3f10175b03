import ConfabCore

/// A request's parameters, from its query string and its body, read within `InputLimits`.
///
/// The server calls these with the bytes it received and the fuzz targets call the same
/// functions, so what is fuzzed is what is served. ConnectyCube's SDKs send one request as
/// JSON or as a form (the reference's curl examples even put a form in the body of a GET).
public enum RequestInput {
    /// The parameters as pairs, for the list endpoints: query string, then a form body or a
    /// JSON body's members (`{"limit":10,"_id":{"lt":"…"}}` is `limit=10&_id[lt]=…`, and
    /// `{"types":[2,3]}` is `types[]=2&types[]=3`). A name given twice is kept twice, for the
    /// query parser to refuse.
    public static func pairs(
        query: some Collection<UInt8>, body: [UInt8], contentType: String?, limits: InputLimits = .standard
    ) throws -> [FormParameter] {
        var parameters = try FormURLDecoder.decode(query, limits: limits)
        guard !body.isEmpty else { return parameters }
        switch try BodyKind(contentType) {
        case .json:
            parameters += try jsonPairs(
                jsonObject(body, limits: limits, message: "must be a JSON object of parameters"),
                limits: limits, alreadyRead: parameters.count)
        case .form:
            parameters += try FormURLDecoder.decode(body, limits: limits, alreadyRead: parameters.count)
        }
        return parameters
    }

    /// The parameters of a request that changes something, as one JSON object: a JSON body as
    /// sent, or form pairs (query string and form body) nested by their brackets. Query-string
    /// parameters join a JSON body's members; a name given in both is refused.
    public static func object(
        query: some Collection<UInt8>, body: [UInt8], contentType: String?, limits: InputLimits = .standard
    ) throws -> JSONObject {
        let queryPairs = try FormURLDecoder.decode(query, limits: limits)
        guard !body.isEmpty else { return try NestedParameters.nest(queryPairs, limits: limits) }
        switch try BodyKind(contentType) {
        case .json:
            var object = try jsonObject(body, limits: limits, message: "must be a JSON object")
            guard object.members.count + queryPairs.count <= limits.maximumParameters else {
                throw RequestInputError.tooLarge("A request may have at most \(limits.maximumParameters) parameters")
            }
            for member in try NestedParameters.nest(queryPairs, limits: limits).members {
                guard object[member.key] == nil else {
                    throw ParameterErrors(parameter: member.key, message: "is given more than once")
                }
                object.members.append(member)
            }
            return object
        case .form:
            let bodyPairs = try FormURLDecoder.decode(body, limits: limits, alreadyRead: queryPairs.count)
            return try NestedParameters.nest(queryPairs + bodyPairs, limits: limits)
        }
    }

    private enum BodyKind {
        case json, form

        init(_ contentType: String?) throws {
            let type = contentType?.lowercased() ?? ""
            if type.hasPrefix("application/json") {
                self = .json
            } else if type.isEmpty || type.hasPrefix("application/x-www-form-urlencoded") {
                self = .form
            } else {
                throw RequestInputError.unsupportedMediaType(
                    "Send parameters in the query string, as application/x-www-form-urlencoded or as application/json")
            }
        }
    }

    private static func jsonObject(_ bytes: [UInt8], limits: InputLimits, message: String) throws -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, limits: limits.json)
        } catch {
            throw ParameterErrors(parameter: "body", message: "is not valid JSON: \(error.description)")
        }
        guard case .object(let object) = value else { throw ParameterErrors(parameter: "body", message: message) }
        return object
    }

    private static func jsonPairs(_ object: JSONObject, limits: InputLimits, alreadyRead: Int) throws -> [FormParameter]
    {
        var parameters = [FormParameter]()
        var errors = ParameterErrors()
        for member in object.members {
            if case .object(let operators) = member.value {
                for inner in operators.members {
                    let name = "\(member.key)[\(inner.key)]"
                    if name.utf8.count > limits.maximumNameBytes {
                        errors.add(name, "is a parameter name longer than \(limits.maximumNameBytes) bytes (the limit)")
                    } else if let text = scalarText(inner.value) {
                        parameters.append(FormParameter(name: name, value: text))
                    } else {
                        errors.add(name, "must be a string or a number")
                    }
                }
            } else if case .array(let elements) = member.value {
                // `{"types":[2,3]}` is `types[]=2&types[]=3`, as a form repeats a bracketed name.
                let name = member.key.hasSuffix("[]") ? member.key : member.key + "[]"
                for element in elements {
                    if let text = scalarText(element) {
                        parameters.append(FormParameter(name: name, value: text))
                    } else {
                        errors.add(name, "must be an array of strings or numbers")
                    }
                    guard alreadyRead + parameters.count <= limits.maximumParameters else {
                        throw RequestInputError.tooLarge(
                            "A request may have at most \(limits.maximumParameters) parameters")
                    }
                }
            } else if let text = scalarText(member.value) {
                parameters.append(FormParameter(name: member.key, value: text))
            } else {
                errors.add(member.key, "must be a string, a number, an array or an object of operators")
            }
            guard alreadyRead + parameters.count <= limits.maximumParameters else {
                throw RequestInputError.tooLarge("A request may have at most \(limits.maximumParameters) parameters")
            }
        }
        guard errors.isEmpty else { throw errors }
        return parameters
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer(let integer): String(integer)
        case .number(let number): String(number)
        default: nil
        }
    }
}
