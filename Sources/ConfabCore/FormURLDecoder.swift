/// Decodes `application/x-www-form-urlencoded` text (query strings and GET bodies) into pairs,
/// keeping repeats so that a parameter given twice can be refused rather than silently merged.
public enum FormURLDecoder {
    /// Fails, naming the pair, on a broken `%` escape or bytes that are not UTF-8.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ParameterErrors) -> [FormParameter] {
        var parameters = [FormParameter]()
        var errors = ParameterErrors()
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let separator = piece.firstIndex(of: UInt8(ascii: "="))
            let rawName = separator.map { piece[piece.startIndex..<$0] } ?? piece[...]
            let rawValue = separator.map { piece[piece.index(after: $0)...] } ?? piece[piece.endIndex...]
            let name = percentDecoded(rawName)
            guard let name else {
                errors.add(String(decoding: rawName, as: UTF8.self), "is not valid percent-encoded UTF-8")
                continue
            }
            guard let value = percentDecoded(rawValue) else {
                errors.add(name, "value is not valid percent-encoded UTF-8")
                continue
            }
            parameters.append(FormParameter(name: name, value: value))
        }
        guard errors.isEmpty else { throw errors }
        return parameters
    }

    private static func percentDecoded(_ bytes: some Collection<UInt8>) -> String? {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                output.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(HexDigit.value),
                    let low = iterator.next().flatMap(HexDigit.value)
                else {
                    return nil
                }
                output.append(high << 4 | low)
            default:
                output.append(byte)
            }
        }
        return String(validating: output, as: UTF8.self)
    }
}
