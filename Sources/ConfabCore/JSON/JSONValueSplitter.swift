/// Cuts a stream of JSON text into its top-level objects and arrays, whatever whitespace or
/// newlines lie between them: NDJSON, one JSON document, or saved pages one after another.
/// Bytes arrive in chunks of any size; only the value being read is held, so a file of small
/// values is read in constant memory.
public struct JSONValueSplitter: Sendable {
    private var value: [UInt8] = []
    private var nesting = JSONNesting()
    /// Bytes consumed so far, for error positions.
    public private(set) var offset = 0
    /// Where the value being read starts.
    private var valueOffset = 0

    public init() {}

    /// The values that `chunk` completes, in order, each as its JSON text.
    public mutating func split(_ chunk: some Sequence<UInt8>) throws(JSONParser.SyntaxError) -> [[UInt8]] {
        var complete = [[UInt8]]()
        for byte in chunk {
            defer { offset += 1 }
            if nesting.depth == 0 {
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D: continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    valueOffset = offset
                default:
                    throw JSONParser.SyntaxError(offset: offset, reason: "expected an object or an array")
                }
            }
            value.append(byte)
            if nesting.read(byte) {
                complete.append(value)
                value.removeAll(keepingCapacity: true)
            }
        }
        return complete
    }

    /// Where the value being read started.
    public var currentValueOffset: Int { valueOffset }

    /// Throws if the stream ended inside a value.
    public func finish() throws(JSONParser.SyntaxError) {
        if !value.isEmpty {
            throw JSONParser.SyntaxError(offset: valueOffset, reason: "the text ends inside this value")
        }
    }
}
