import ConfabCore
import ConfabRequests
import FuzzSupport

/// Form and query decoding, bracket nesting, and the two request readers, as the server calls
/// them (`RequestParameters`): `RequestInput.pairs` for the lists, `RequestInput.object` for
/// everything that changes something. Input: see `FuzzRequest`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let request = FuzzRequest(start, count)
    let limits = request.limits

    // The query string as the server has it (a String) and as raw bytes decode alike.
    let decoded = outcome { try FormURLDecoder.decode(request.query.utf8, limits: limits) }
    if String(validating: request.queryBytes, as: UTF8.self) != nil {
        let raw = outcome { try FormURLDecoder.decode(request.queryBytes, limits: limits) }
        invariant(raw == decoded, "String and byte query strings decode differently: \(raw) vs \(decoded)")
    }
    if case .success(let pairs) = decoded {
        checkPairs(pairs, limits: limits)
        checkNesting(pairs, limits: limits)
    }
    // The body alone, read as a form after the query's pairs (as `RequestInput` does).
    let queryCount = (try? decoded.get().count) ?? 0
    if case .success(let pairs) = outcome({
        try FormURLDecoder.decode(request.body, limits: limits, alreadyRead: queryCount)
    }) {
        invariant(queryCount + pairs.count <= limits.maximumParameters, "too many body pairs: \(pairs.count)")
        checkPairs(pairs, limits: limits)
        checkNesting(pairs, limits: limits)
    }

    checkWholeRequest(request, queryCount: queryCount)
    return 0
}

/// The whole request, both ways the server reads it.
func checkWholeRequest(_ request: FuzzRequest, queryCount: Int) {
    let limits = request.limits
    if let pairs = try? RequestInput.pairs(
        query: request.query.utf8, body: request.body, contentType: request.contentType, limits: limits)
    {
        invariant(pairs.count <= limits.maximumParameters, "pairs: \(pairs.count) parameters")
    }
    if let object = try? RequestInput.object(
        query: request.query.utf8, body: request.body, contentType: request.contentType, limits: limits)
    {
        invariant(object.members.count <= limits.maximumParameters, "object: \(object.members.count) members")
        invariant(Shape.depth(object) <= limits.maximumDepth, "object: depth \(Shape.depth(object))")
        // Whatever is accepted can be stored and read back (`JSONParser.Limits.stored`).
        let text = written(.object(object))
        let stored = outcome { try JSONParser.parse(text, limits: .stored) }
        invariant(stored == .success(.object(object)), "stored object does not read back: \(stored)")
        // Read from a form (or from JSON alone), the object is what the same request sent as
        // JSON carries: sent as JSON, it is accepted and read as the same object.
        if !request.bodyIsJSON || request.body.isEmpty || queryCount == 0 {
            let again = outcome {
                try RequestInput.object(query: [UInt8](), body: text, contentType: "application/json", limits: limits)
            }
            invariant(
                again == .success(object),
                "the object sent as JSON is read differently: \(again) for \(String(decoding: text, as: UTF8.self))")
        }
    }
}

/// Decoded pairs are within the limits, and encoding them again decodes to the same pairs.
func checkPairs(_ pairs: [FormParameter], limits: InputLimits) {
    invariant(pairs.count <= limits.maximumParameters, "\(pairs.count) pairs")
    for pair in pairs {
        invariant(pair.name.utf8.count <= limits.maximumNameBytes, "name of \(pair.name.utf8.count) bytes")
        invariant(pair.value.utf8.count <= limits.maximumValueBytes, "value of \(pair.value.utf8.count) bytes")
    }
    let encoded = formEncoded(pairs)
    let again = outcome { try FormURLDecoder.decode(encoded, limits: limits) }
    invariant(again == .success(pairs), "re-encoded pairs decode differently: \(again) vs \(pairs)")
}

/// Nesting keeps every pair as one string leaf, within the depth and element limits.
func checkNesting(_ pairs: [FormParameter], limits: InputLimits) {
    guard let object = try? NestedParameters.nest(pairs, limits: limits) else { return }
    invariant(Shape.depth(object) <= limits.maximumDepth, "nested depth \(Shape.depth(object))")
    invariant(Shape.widest(object) <= limits.maximumElements, "a container of \(Shape.widest(object))")
    invariant(Shape.longestKey(object) <= limits.maximumNameBytes, "a key of \(Shape.longestKey(object)) bytes")
    invariant(
        Shape.stringLeaves(object) == pairs.count,
        "\(pairs.count) pairs nest into \(String(describing: Shape.stringLeaves(object))) strings")
    invariant(!Shape.hasDuplicateKeys(object), "a key twice in \(object)")
}
