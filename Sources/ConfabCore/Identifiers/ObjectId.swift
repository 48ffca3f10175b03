/// A MongoDB-style object id: 4 bytes of unix seconds, 5 random bytes, a 3-byte counter.
///
/// Ids are ordered by their bytes, which is also the order of their lowercase hex form, so
/// `_id[lt]=<hex>` pages newest first. Stored as two integers so that comparison and hashing
/// never allocate.
public struct ObjectId: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bytes 0...7, big-endian.
    public let high: UInt64
    /// Bytes 8...11, big-endian.
    public let low: UInt32

    public init(high: UInt64, low: UInt32) {
        self.high = high
        self.low = low
    }

    /// Builds an id from its parts; only the low 40 bits of `random` and 24 bits of `counter` are used.
    public init(timestamp: UInt32, random: UInt64, counter: UInt32) {
        let random40 = random & 0xFF_FFFF_FFFF
        self.high = UInt64(timestamp) << 32 | random40 >> 8
        self.low = UInt32(truncatingIfNeeded: random40 & 0xFF) << 24 | (counter & 0xFF_FFFF)
    }

    /// Parses 24 hexadecimal digits, either case; anything else is `nil`.
    public init?(hex: some StringProtocol) {
        var utf8 = hex.utf8.makeIterator()
        var high: UInt64 = 0
        var low: UInt32 = 0
        for index in 0..<24 {
            guard let byte = utf8.next(), let digit = HexDigit.value(byte) else { return nil }
            if index < 16 {
                high = high << 4 | UInt64(digit)
            } else {
                low = low << 4 | UInt32(digit)
            }
        }
        guard utf8.next() == nil else { return nil }
        self.init(high: high, low: low)
    }

    /// Takes exactly 12 bytes. Inlinable, so that it is specialized for the caller's collection
    /// (`Data` from a database row): generic, it was 15% of serving a page.
    @inlinable
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var high: UInt64 = 0
        var low: UInt32 = 0
        var index = 0
        for byte in bytes {
            if index < 8 {
                high = high << 8 | UInt64(byte)
            } else {
                low = low << 8 | UInt32(byte)
            }
            index += 1
        }
        self.init(high: high, low: low)
    }

    /// The creation time in unix seconds.
    public var timestamp: UInt32 { UInt32(truncatingIfNeeded: high >> 32) }

    /// The 12 bytes, big-endian.
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(12)
        for shift in stride(from: 56, through: 0, by: -8) {
            result.append(UInt8(truncatingIfNeeded: high >> UInt64(shift)))
        }
        for shift in stride(from: 24, through: 0, by: -8) {
            result.append(UInt8(truncatingIfNeeded: low >> UInt32(shift)))
        }
        return result
    }

    /// 24 lowercase hexadecimal digits.
    public var hex: String {
        String(unsafeUninitializedCapacity: 24) { buffer in
            writeHex(into: buffer)
            return 24
        }
    }

    public var description: String { hex }

    /// Writes the 24 lowercase hex digits into the first 24 slots of `buffer`.
    @inlinable
    public func writeHex(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { table in
            for index in 0..<16 {
                buffer[index] = table[Int(truncatingIfNeeded: high >> UInt64(60 - 4 * index)) & 0xF]
            }
            for index in 0..<8 {
                buffer[16 + index] = table[Int(truncatingIfNeeded: low >> UInt32(28 - 4 * index)) & 0xF]
            }
        }
    }

    public static func < (lhs: ObjectId, rhs: ObjectId) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
