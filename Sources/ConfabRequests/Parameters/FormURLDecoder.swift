import ConfabCore

/// Decodes `application/x-www-form-urlencoded` text (query strings and GET bodies) into pairs,
/// keeping repeats so that a parameter given twice can be refused rather than silently merged.
public enum FormURLDecoder {
    /// Fails, naming the pair, on a broken `%` escape, bytes that are not UTF-8, or a name or
    /// value over `limits`; with `RequestInputError.tooLarge` past `limits.maximumParameters`
    /// pairs (counting `alreadyRead`, the pairs of the request read before these), before
    /// decoding any of them.
    public static func decode(
        _ bytes: some Collection<UInt8>, limits: InputLimits = .standard, alreadyRead: Int = 0
    ) throws -> [FormParameter] {
        let pieces = bytes.split(
            separator: UInt8(ascii: "&"), maxSplits: limits.maximumParameters, omittingEmptySubsequences: true)
        guard alreadyRead + pieces.count <= limits.maximumParameters else {
            throw RequestInputError.tooLarge("A request may have at most \(limits.maximumParameters) parameters")
        }
        var parameters = [FormParameter]()
        parameters.reserveCapacity(pieces.count)
        var errors = ParameterErrors()
        for piece in pieces {
            let separator = piece.firstIndex(of: UInt8(ascii: "="))
            let rawName = separator.map { piece[piece.startIndex..<$0] } ?? piece[...]
            let rawValue = separator.map { piece[piece.index(after: $0)...] } ?? piece[piece.endIndex...]
            guard let name = percentDecoded(rawName) else {
                errors.add(String(decoding: rawName, as: UTF8.self), "is not valid percent-encoded UTF-8")
                continue
            }
            guard name.utf8.count <= limits.maximumNameBytes else {
                errors.add(name, "is a parameter name longer than \(limits.maximumNameBytes) bytes (the limit)")
                continue
            }
            guard let value = percentDecoded(rawValue) else {
                errors.add(name, "value is not valid percent-encoded UTF-8")
                continue
            }
            guard value.utf8.count <= limits.maximumValueBytes else {
                errors.add(name, "value is longer than \(limits.maximumValueBytes) bytes (the limit)")
                continue
            }
            parameters.append(FormParameter(name: name, value: value))
        }
        guard errors.isEmpty else { throw errors }
        return parameters
    }

    /// `nil` for a broken escape or bytes that are not UTF-8.
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
