import ConfabCore
import Hummingbird

/// Gathers a request's parameters from its query string and from its body, which the
/// reference's curl examples send on a GET (`curl -X GET -d 'updated_at[lt]=…'`).
///
/// Both sources are merged in order; a name that appears twice anywhere is left for the
/// query parser to refuse.
enum RequestParameters {
    static func collect(from request: Request, maximumBodySize: Int) async throws -> [FormParameter] {
        var parameters = try FormURLDecoder.decode(Array((request.uri.query ?? "").utf8))
        // Past the limit this throws HTTPError(.contentTooLarge), which the error middleware answers as a 413.
        let body = try await request.body.collect(upTo: maximumBodySize)
        guard body.readableBytes > 0 else { return parameters }
        let bytes = Array(body.readableBytesView)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            parameters += try jsonParameters(bytes)
        } else if contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") {
            parameters += try FormURLDecoder.decode(bytes)
        } else {
            throw APIError.unsupportedMediaType(
                "Send parameters in the query string, as application/x-www-form-urlencoded or as application/json")
        }
        return parameters
    }

    /// The parameters of a request that changes something, as one JSON object: a JSON body as
    /// sent, or form pairs (query string and form body) nested by their brackets. Query-string
    /// parameters join a JSON body's members; a name given in both is refused.
    static func object(from request: Request, maximumBodySize: Int) async throws -> JSONObject {
        let query = try FormURLDecoder.decode(Array((request.uri.query ?? "").utf8))
        let body = try await request.body.collect(upTo: maximumBodySize)
        let bytes = Array(body.readableBytesView)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            guard case .object(var object) = try? JSONParser.parse(bytes) else {
                throw ParameterErrors(parameter: "body", message: "must be a JSON object")
            }
            for (key, value) in try NestedParameters.nest(query).members.map({ ($0.key, $0.value) }) {
                guard object[key] == nil else {
                    throw ParameterErrors(parameter: key, message: "is given more than once")
                }
                object[key] = value
            }
            return object
        } else if bytes.isEmpty || contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") {
            return try NestedParameters.nest(query + FormURLDecoder.decode(bytes))
        } else {
            throw APIError.unsupportedMediaType(
                "Send parameters as application/json or application/x-www-form-urlencoded")
        }
    }

    /// A JSON body as parameters: `{"limit":10,"_id":{"lt":"…"}}` is `limit=10&_id[lt]=…`.
    private static func jsonParameters(_ bytes: [UInt8]) throws -> [FormParameter] {
        guard case .object(let object) = try? JSONParser.parse(bytes) else {
            throw ParameterErrors(parameter: "body", message: "must be a JSON object of parameters")
        }
        var parameters = [FormParameter]()
        var errors = ParameterErrors()
        for member in object.members {
            if case .object(let operators) = member.value {
                for inner in operators.members {
                    let name = "\(member.key)[\(inner.key)]"
                    if let text = scalarText(inner.value) {
                        parameters.append(FormParameter(name: name, value: text))
                    } else {
                        errors.add(name, "must be a string or a number")
                    }
                }
            } else if let text = scalarText(member.value) {
                parameters.append(FormParameter(name: member.key, value: text))
            } else {
                errors.add(member.key, "must be a string, a number or an object of operators")
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
