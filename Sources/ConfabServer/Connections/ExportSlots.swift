/// At most `ExportLimits.running` exports at once, and a bounded line of waiting ones: an
/// export holds a database connection and a snapshot, so their number is bounded like any input.
actor ExportSlots {
    private let running: Int
    private let waiting: Int
    private var busy = 0
    private var line: [CheckedContinuation<Void, Never>] = []

    init(_ limits: ExportLimits) {
        running = max(1, limits.running)
        waiting = max(0, limits.waiting)
    }

    /// A slot, once one is free; nil at once when the line is full.
    func acquire() async -> ExportTicket? {
        if busy < running {
            busy += 1
        } else {
            guard line.count < waiting else { return nil }
            // `release` hands its slot straight to the first in line.
            await withCheckedContinuation { line.append($0) }
        }
        return ExportTicket(slots: self)
    }

    fileprivate func release() {
        if line.isEmpty { busy -= 1 } else { line.removeFirst().resume() }
    }
}

/// A held slot, given back when the ticket goes: when the response that carries it has been
/// written, or dropped unwritten (a client gone before the head).
final class ExportTicket: Sendable {
    private let slots: ExportSlots

    fileprivate init(slots: ExportSlots) {
        self.slots = slots
    }

    deinit {
        let slots = slots
        Task { await slots.release() }
    }
}
