import Synchronization

/// Makes unique `ObjectId`s: one random 5-byte value per generator and an incrementing counter,
/// as MongoDB does per process. Safe to share between tasks.
public final class ObjectIdGenerator: Sendable {
    private let state: Mutex<ObjectIdSequence>

    /// A generator with a random process value and counter start.
    public convenience init() {
        var random = SystemRandomNumberGenerator()
        self.init(sequence: ObjectIdSequence(using: &random))
    }

    public init(sequence: ObjectIdSequence) {
        state = Mutex(sequence)
    }

    /// A new id stamped with `timestamp` (unix seconds).
    public func next(timestamp: UInt32) -> ObjectId {
        state.withLock { $0.next(timestamp: timestamp) }
    }
}

/// The value-type core of `ObjectIdGenerator`, for deterministic single-owner use such as seeding.
public struct ObjectIdSequence: Sendable {
    public let random: UInt64
    public private(set) var counter: UInt32

    public init(random: UInt64, counter: UInt32) {
        self.random = random & 0xFF_FFFF_FFFF
        self.counter = counter & 0xFF_FFFF
    }

    public init(using generator: inout some RandomNumberGenerator) {
        self.init(random: generator.next(), counter: UInt32.random(in: 0...0xFF_FFFF, using: &generator))
    }

    public mutating func next(timestamp: UInt32) -> ObjectId {
        let id = ObjectId(timestamp: timestamp, random: random, counter: counter)
        counter = (counter &+ 1) & 0xFF_FFFF
        return id
    }
}
