import ConfabCore
import ConfabRequests
import FuzzSupport

/// The JSON reader with the bounds of a request body (`InputLimits.standard.json`), of stored
/// JSON (`.stored`) and small ones; what it accepts is within its bounds, written by `JSONWriter`
/// reads back as the same value, and writing that again gives the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let request = read(bytes, InputLimits.standard.json, "request")
    let stored = read(bytes, .stored, "stored")
    let small = read(bytes, tight, "tight")
    // A request's JSON is always within what stored JSON is read back with.
    if let request {
        invariant(
            stored == request, "accepted for a request, read otherwise when stored: \(String(describing: stored))")
    }
    if let small {
        invariant(request == small, "accepted with tight limits, not with a request's: \(String(describing: request))")
    }
    return 0
}

/// The tight bounds of `FuzzRequest.tight`, as `InputLimits.json` makes them.
let tight = FuzzRequest.tight.json

func read(_ bytes: [UInt8], _ limits: JSONParser.Limits, _ name: String) -> JSONValue? {
    let value: JSONValue
    do {
        value = try JSONParser.parse(bytes, limits: limits)
    } catch {
        invariant(
            error.offset >= 0 && error.offset <= bytes.count, "\(name): error offset \(error.offset) of \(bytes.count)")
        return nil
    }
    invariant(Shape.depth(value) <= limits.maximumDepth, "\(name): depth \(Shape.depth(value))")
    invariant(Shape.widest(value) <= limits.maximumElements, "\(name): a container of \(Shape.widest(value))")
    invariant(
        Shape.longestString(value) <= limits.maximumStringBytes,
        "\(name): a string of \(Shape.longestString(value)) bytes")
    invariant(Shape.longestKey(value) <= limits.maximumKeyBytes, "\(name): a key of \(Shape.longestKey(value)) bytes")
    if !limits.allowsDuplicateKeys {
        invariant(!Shape.hasDuplicateKeys(value), "\(name): a key given twice was accepted")
    }

    let text = written(value)
    let again: JSONValue
    do {
        again = try JSONParser.parse(text, limits: limits)
    } catch {
        fatalError("\(name): written \(String(decoding: text, as: UTF8.self)) does not read back: \(error)")
    }
    invariant(again == value, "\(name): written and read back, \(again) is not \(value)")
    let twice = written(again)
    invariant(twice == text, "\(name): written twice differently: \(String(decoding: twice, as: UTF8.self))")
    return value
}
