import Logging
import NIOPosix
import SQLKit
import SQLiteKit

/// A small pool of SQLite connections to one file, in WAL mode so that readers never wait for
/// the writer. A waiting writer is retried by SQLite's busy handler rather than failed.
actor SQLiteConnectionPool: SQLSessions {
    private let path: String
    private let capacity: Int
    private let logger: Logger
    private var idle: [SQLiteConnection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
    private var isClosed = false

    init(path: String, capacity: Int, logger: Logger) {
        self.path = path
        self.capacity = max(1, capacity)
        self.logger = logger
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection.sql(queryLogLevel: .trace))
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    func close() async throws {
        isClosed = true
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
        waiters.removeAll()
        let connections = idle
        idle.removeAll()
        for connection in connections { try await connection.close() }
    }

    private func acquire() async throws -> SQLiteConnection {
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

    private func release(_ connection: SQLiteConnection) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else if isClosed {
            Task { try? await connection.close() }
        } else {
            idle.append(connection)
        }
    }

    private func open() async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: .singleton,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
            _ = try await connection.query(pragma)
        }
        return connection
    }
}
