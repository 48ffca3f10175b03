/// Up to `capacity` connections, opened when first needed and lent to one borrower at a time;
/// a borrower past the capacity waits, suspended, until one comes back. The SQLite pools (the
/// writers' and the readers') keep their connections here.
actor ConnectionSlots<Connection: Sendable> {
    private let capacity: Int
    private let open: @Sendable () async throws -> Connection
    private let close: @Sendable (Connection) async -> Void
    private var idle: [Connection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<Connection, any Error>] = []
    private var isClosed = false

    init(
        capacity: Int, open: @escaping @Sendable () async throws -> Connection,
        close: @escaping @Sendable (Connection) async -> Void
    ) {
        self.capacity = max(1, capacity)
        self.open = open
        self.close = close
    }

    /// Runs `body` with a connection no one else uses meanwhile.
    nonisolated func withConnection<Result: Sendable>(
        _ body: @Sendable (Connection) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Closes the idle connections, and each lent one as it comes back; waiters are cancelled.
    func closeAll() async {
        isClosed = true
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
        waiters.removeAll()
        let connections = idle
        idle.removeAll()
        for connection in connections { await close(connection) }
    }

    private func acquire() async throws -> Connection {
        if isClosed { throw CancellationError() }
        if let connection = idle.popLast() { return connection }
        if opened < capacity {
            opened += 1
            do {
                return try await open()
            } catch {
                opened -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func release(_ connection: Connection) async {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else if isClosed {
            await close(connection)
        } else {
            idle.append(connection)
        }
    }
}
