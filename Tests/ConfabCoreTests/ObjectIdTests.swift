import Testing

@testable import ConfabCore

@Suite struct ObjectIdTests {
    // The reference's example ids (admin-chat-api.txt).
    static let referenceDialogId = "620e2b1463ee2a1977b4ee65"
    static let referenceMessageId = "63834bbecf1efb102da40f2c"

    @Test(arguments: [
        referenceDialogId, referenceMessageId, "620e2b14e45f5b089d000008", "000000000000000000000000",
        "ffffffffffffffffffffffff", "0123456789abcdef01234567",
    ])
    func hexRoundTrip(hex: String) throws {
        let id = try #require(ObjectId(hex: hex))
        #expect(id.hex == hex)
        #expect(id.description == hex)
        #expect(ObjectId(hex: id.hex) == id)
    }

    @Test func hexParsesIntoHighAndLowBigEndian() throws {
        let id = try #require(ObjectId(hex: "0123456789abcdef01234567"))
        #expect(id.high == 0x0123_4567_89AB_CDEF)
        #expect(id.low == 0x0123_4567)
    }

    @Test func upperAndMixedCaseAreAcceptedAndEmittedLowerCase() throws {
        let lower = try #require(ObjectId(hex: "620e2b1463ee2a1977b4ee65"))
        let upper = try #require(ObjectId(hex: "620E2B1463EE2A1977B4EE65"))
        let mixed = try #require(ObjectId(hex: "620e2B1463Ee2a1977B4eE65"))
        #expect(upper == lower)
        #expect(mixed == lower)
        #expect(upper.hex == "620e2b1463ee2a1977b4ee65")
        #expect(mixed.hex == "620e2b1463ee2a1977b4ee65")
        let all = try #require(ObjectId(hex: "ABCDEFABCDEFABCDEFABCDEF"))
        #expect(all.hex == "abcdefabcdefabcdefabcdef")
    }

    @Test(arguments: [
        "",
        "620e2b1463ee2a1977b4ee6",  // 23
        "620e2b1463ee2a1977b4ee655",  // 25
        "620e2b1463ee2a1977b4ee65620e2b1463ee2a1977b4ee65",  // 48
        "620e2b1463ee2a1977b4ee6g",  // non-hex letter
        "g20e2b1463ee2a1977b4ee65",
        "620E2B1463EE2A1977B4EE6G",  // upper-case non-hex letter
        "620e2b1463ee2a1977b4ee6 ",  // trailing space
        " 620e2b1463ee2a1977b4ee65",
        "0x0e2b1463ee2a1977b4ee65",  // prefix
        "620e2b1463ee2a-977b4ee65",
        "620e2b1463ee2a1977b4eé5",  // 24 UTF-8 bytes, but one is not hex
        "éééééééééééé",  // 24 UTF-8 bytes
        "６２０e2b1463ee2a1977b4ee65",  // full-width digits
        "62 0e2b1463ee2a1977b4ee65",
    ])
    func rejectsAnythingButTwentyFourHexDigits(text: String) {
        #expect(ObjectId(hex: text) == nil)
    }

    @Test func parsesASubstring() throws {
        let text = "_id[lt]=620e2b1463ee2a1977b4ee65"
        let value = text[text.index(after: try #require(text.firstIndex(of: "=")))...]
        #expect(ObjectId(hex: value)?.hex == "620e2b1463ee2a1977b4ee65")
        #expect(ObjectId(hex: value.dropLast()) == nil)
    }

    @Test func timestampIsTheFirstFourBytes() throws {
        // The reference dialog's `_id` carries its `created_at` (2022-02-17T11:01:40Z) and the
        // reference message's carries its `date_sent` (1669548990).
        let dialogId = try #require(ObjectId(hex: Self.referenceDialogId))
        #expect(dialogId.timestamp == 0x620E_2B14)
        #expect(dialogId.timestamp == 1_645_095_700)
        #expect(UTCTimestamp.iso8601(Int64(dialogId.timestamp)) == "2022-02-17T11:01:40Z")
        let messageId = try #require(ObjectId(hex: Self.referenceMessageId))
        #expect(messageId.timestamp == 1_669_548_990)
        #expect(try #require(ObjectId(hex: "ffffffff0000000000000000")).timestamp == UInt32.max)
        #expect(try #require(ObjectId(hex: "00000000ffffffffffffffff")).timestamp == 0)
    }

    @Test func partsAreLaidOutAsSecondsRandomCounter() {
        let id = ObjectId(timestamp: 0x0102_0304, random: 0x0A_0B0C_0D0E, counter: 0x11_2233)
        #expect(id.bytes == [0x01, 0x02, 0x03, 0x04, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x11, 0x22, 0x33])
        #expect(id.hex == "010203040a0b0c0d0e112233")
        #expect(id.timestamp == 0x0102_0304)
        #expect(id.high == 0x0102_0304_0A0B_0C0D)
        #expect(id.low == 0x0E11_2233)
    }

    @Test func partsIgnoreBitsBeyondFortyRandomAndTwentyFourCounterBits() {
        let plain = ObjectId(timestamp: 1_645_095_700, random: 0x12_3456_789A, counter: 0x00_0042)
        let noisy = ObjectId(timestamp: 1_645_095_700, random: 0xFFFF_FF12_3456_789A, counter: 0xFF00_0042)
        #expect(noisy == plain)
        #expect(noisy.hex == "620e2b14123456789a000042")
        let maximal = ObjectId(timestamp: .max, random: .max, counter: .max)
        #expect(maximal.hex == "ffffffffffffffffffffffff")
        let minimal = ObjectId(timestamp: 0, random: 0, counter: 0)
        #expect(minimal.hex == "000000000000000000000000")
    }

    @Test func bytesRoundTrip() throws {
        var random = SeededRandomNumberGenerator(seed: 0x0B1E_C71D)
        for _ in 0..<500 {
            let id = ObjectId(high: random.next(), low: UInt32(truncatingIfNeeded: random.next()))
            let bytes = id.bytes
            #expect(bytes.count == 12)
            #expect(ObjectId(bytes: bytes) == id)
            #expect(ObjectId(bytes: bytes[...]) == id)
            #expect(ObjectId(hex: id.hex) == id)
            let expectedHex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            #expect(id.hex == expectedHex)
        }
        #expect(ObjectId(bytes: Array(repeating: UInt8(0xAB), count: 12))?.hex == "abababababababababababab")
    }

    @Test(arguments: [0, 1, 11, 13, 24])
    func bytesRejectWrongCount(count: Int) {
        #expect(ObjectId(bytes: [UInt8](repeating: 1, count: count)) == nil)
    }

    @Test func writeHexFillsTheFirstTwentyFourSlots() {
        let id = ObjectId(timestamp: 0x620E_2B14, random: 0x63_EE2A_1977, counter: 0xB4_EE65)
        var buffer = [UInt8](repeating: UInt8(ascii: "."), count: 26)
        buffer.withUnsafeMutableBufferPointer { id.writeHex(into: $0) }
        #expect(String(decoding: buffer, as: UTF8.self) == "620e2b1463ee2a1977b4ee65..")
    }

    /// The reference pages newest first with `_id[lt]=<hex>`, so id order, byte order and the
    /// order of the lowercase hex strings must be one and the same.
    @Test func orderIsByteOrderIsHexOrder() {
        var random = SeededRandomNumberGenerator(seed: 20_240_229)
        var ids = [ObjectId]()
        for index in 0..<3_000 {
            switch index % 4 {
            case 0:
                ids.append(ObjectId(high: random.next(), low: UInt32(truncatingIfNeeded: random.next())))
            case 1:
                // Same seconds and random part as an earlier id, another counter: only `low` differs.
                let base = ids[Int.random(in: 0..<ids.count, using: &random)]
                ids.append(ObjectId(high: base.high, low: UInt32(truncatingIfNeeded: random.next())))
            case 2:
                // A narrow band of seconds, so that many ids share their first bytes.
                let seconds = UInt32(1_700_000_000 + Int.random(in: 0..<8, using: &random))
                ids.append(
                    ObjectId(
                        timestamp: seconds, random: random.next() & 0xFF_0000_00FF,
                        counter: UInt32.random(in: 0...0xFF_FFFF, using: &random)))
            default:
                // Bytes with the top bit set, where signed comparison would go wrong.
                ids.append(
                    ObjectId(high: random.next() | 1 << 63, low: UInt32(truncatingIfNeeded: random.next()) | 1 << 31))
            }
        }
        ids.append(contentsOf: ids.prefix(50))  // duplicates

        let byId = ids.sorted()
        let byBytes = ids.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        let byHexBytes = ids.sorted { Array($0.hex.utf8).lexicographicallyPrecedes(Array($1.hex.utf8)) }
        let byHexString = ids.sorted { $0.hex < $1.hex }
        #expect(byId == byBytes)
        #expect(byId == byHexBytes)
        #expect(byId == byHexString)

        for _ in 0..<3_000 {
            let a = ids[Int.random(in: 0..<ids.count, using: &random)]
            let b = ids[Int.random(in: 0..<ids.count, using: &random)]
            #expect((a < b) == a.bytes.lexicographicallyPrecedes(b.bytes))
            #expect((a < b) == (a.hex < b.hex))
            #expect((a == b) == (a.hex == b.hex))
        }
    }

    @Test func comparesHighBeforeLow() {
        let a = ObjectId(high: 1, low: .max)
        let b = ObjectId(high: 2, low: 0)
        #expect(a < b)
        #expect(!(b < a))
        #expect(ObjectId(high: 5, low: 1) < ObjectId(high: 5, low: 2))
        #expect(!(ObjectId(high: 5, low: 2) < ObjectId(high: 5, low: 2)))
    }

    @Test func equalIdsHashEqually() throws {
        let fromHex = try #require(ObjectId(hex: "620E2B1463EE2A1977B4EE65"))
        let fromBytes = try #require(ObjectId(bytes: fromHex.bytes))
        let fromParts = ObjectId(timestamp: 0x620E_2B14, random: 0x63_EE2A_1977, counter: 0xB4_EE65)
        #expect(Set([fromHex, fromBytes, fromParts]).count == 1)
        #expect(fromParts == fromHex)
    }
}
