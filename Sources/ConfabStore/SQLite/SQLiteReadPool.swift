import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteKit

/// The embedded store's read path: the admin lists, exports and key checks read on connections
/// of their own, apart from the writers' (`SQLiteConnectionPool`). In WAL mode the readers see
/// every committed write and never wait for the writer.
///
/// A reader steps its statement on the thread of the task that reads: a page is a fraction of
/// a millisecond of SQLite's time, less than the hop to a thread pool and back cost.
struct SQLiteReadPool: SQLSessions {
    private let readers: ConnectionSlots<SQLiteDirectConnection>
    private let logger: Logger

    init(path: String, capacity: Int, logger: Logger) {
        readers = ConnectionSlots(
            capacity: capacity,
            open: {
                try SQLiteDirectConnection(
                    path: path, role: .reader, cacheKiB: SQLiteConnectionPool.pageCacheKiB,
                    lockWait: SQLiteChatStore.defaultLockWait)
            },
            close: { $0.close() })
        self.logger = logger
    }

    func withSession<Result: Sendable>(
        _ body: @Sendable (StoreSession) async throws -> Result
    ) async throws -> Result {
        try await readers.withConnection { reader in
            let session = StoreSession(sql: SQLiteDirectDatabase(connection: reader, logger: logger)) { table, _, _ in
                throw SQLiteDirectError(code: 8, message: "the read path writes no rows (into \(table))")
            }
            return try await body(session)
        }
    }

    func close() async throws {
        await readers.closeAll()
    }
}
