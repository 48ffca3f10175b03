import Testing

@testable import ConfabCore

@Suite struct ObjectIdGeneratorTests {
    @Test func sequenceMasksItsParts() {
        let sequence = ObjectIdSequence(random: 0xFFFF_FF12_3456_789A, counter: 0xFF00_0005)
        #expect(sequence.random == 0x12_3456_789A)
        #expect(sequence.counter == 5)
    }

    @Test func sequenceStampsTimestampRandomAndCounter() {
        var sequence = ObjectIdSequence(random: 0x0A_0B0C_0D0E, counter: 0x11_2233)
        let first = sequence.next(timestamp: 0x0102_0304)
        let second = sequence.next(timestamp: 0x0102_0305)
        #expect(first.hex == "010203040a0b0c0d0e112233")
        #expect(second.hex == "010203050a0b0c0d0e112234")
        #expect(sequence.counter == 0x11_2235)
    }

    @Test func sequenceIdsIncreaseWithinOneSecond() {
        var sequence = ObjectIdSequence(random: 0x77_6655_4433, counter: 1_000)
        let ids = (0..<1_000).map { _ in sequence.next(timestamp: 1_700_000_000) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == 1_000)
        #expect(ids.allSatisfy { $0.timestamp == 1_700_000_000 })
    }

    @Test func counterWrapsAtTwentyFourBits() {
        var sequence = ObjectIdSequence(random: 0x12_3456_789A, counter: 0xFF_FFFE)
        let ids = (0..<4).map { _ in sequence.next(timestamp: 1_645_095_700) }
        #expect(
            ids.map(\.hex) == [
                "620e2b14123456789afffffe", "620e2b14123456789affffff", "620e2b14123456789a000000",
                "620e2b14123456789a000001",
            ])
        #expect(ids.map { $0.low & 0xFF_FFFF } == [0xFF_FFFE, 0xFF_FFFF, 0, 1])
        #expect(sequence.counter == 2)
        // The timestamp and random bytes are untouched by the wrap.
        #expect(Set(ids.map(\.high)).count == 1)
    }

    @Test func sequenceFromTheSameSeedIsTheSame() {
        var first = SeededRandomNumberGenerator(seed: 99)
        var second = SeededRandomNumberGenerator(seed: 99)
        var a = ObjectIdSequence(using: &first)
        var b = ObjectIdSequence(using: &second)
        #expect(a.random == b.random)
        #expect(a.counter == b.counter)
        #expect(a.random <= 0xFF_FFFF_FFFF)
        #expect(a.counter <= 0xFF_FFFF)
        #expect(a.next(timestamp: 5) == b.next(timestamp: 5))

        var other = SeededRandomNumberGenerator(seed: 100)
        let c = ObjectIdSequence(using: &other)
        #expect(c.random != a.random)
    }

    @Test func generatorFollowsItsSequence() {
        var sequence = ObjectIdSequence(random: 0x01_0203_0405, counter: 0xFF_FFFF)
        let generator = ObjectIdGenerator(sequence: sequence)
        for seconds: UInt32 in [1_700_000_000, 1_700_000_000, 1_700_000_001, 42] {
            #expect(generator.next(timestamp: seconds) == sequence.next(timestamp: seconds))
        }
    }

    @Test func generatorGivesUniqueIdsWithTheRequestedTimestamp() {
        let generator = ObjectIdGenerator(sequence: ObjectIdSequence(random: 0xAB_CDEF_0123, counter: 0xFF_FF00))
        var seen = Set<ObjectId>()
        for index in 0..<20_000 {
            let seconds = UInt32(1_700_000_000 + index / 5_000)
            let id = generator.next(timestamp: seconds)
            #expect(id.timestamp == seconds)
            seen.insert(id)
        }
        #expect(seen.count == 20_000)
    }

    @Test func defaultGeneratorGivesUniqueIds() {
        let generator = ObjectIdGenerator()
        let ids = (0..<5_000).map { _ in generator.next(timestamp: 1_700_000_000) }
        #expect(Set(ids).count == 5_000)
        #expect(ids.allSatisfy { $0.timestamp == 1_700_000_000 })
    }

    @Test func generatorIsUniqueAcrossConcurrentTasks() async {
        let generator = ObjectIdGenerator(sequence: ObjectIdSequence(random: 0x55_5555_5555, counter: 7))
        let ids = await withTaskGroup(of: [ObjectId].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<1_000).map { _ in generator.next(timestamp: 1_700_000_000) } }
            }
            var all = [ObjectId]()
            for await part in group { all += part }
            return all
        }
        #expect(ids.count == 8_000)
        #expect(Set(ids).count == 8_000)
        // Exactly the counters 7 ..< 8007 were handed out.
        #expect(Set(ids.map { $0.low & 0xFF_FFFF }) == Set((7..<8_007).map { UInt32($0) }))
    }
}
