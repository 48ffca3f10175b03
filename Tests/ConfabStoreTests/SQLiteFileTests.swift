import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import SQLiteKit
import Testing

/// What only the SQLite file can show.
@Suite("SQLite file")
struct SQLiteFileTests {
    @Test("the admin key is not in the database file, only its hash")
    func adminKeyIsStoredHashed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confab-key-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try await SQLiteChatStore.open(path: path)
        let credentials = ApplicationCredentials.random()
        _ = try await store.createApplication(name: "A", credentials: credentials, createdAt: 1)
        try await store.close()
        var contents = Data()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: path + suffix) { contents += data }
        }
        #expect(!contents.isEmpty)
        #expect(contents.range(of: Data(credentials.authKey.utf8)) != nil, "the file is readable as stored")
        #expect(contents.range(of: Data(credentials.adminAPIKey.utf8)) == nil)
    }

    @Test("a write that waits too long for another process's writer fails as busy, and the next one succeeds")
    func busyDatabase() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confab-busy-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try await SQLiteChatStore.open(path: path, lockWait: .milliseconds(100))
        // Another process's writer, as a `confab` command beside the server would be: its own
        // connection to the file, holding the write lock.
        let other = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await other.query("BEGIN IMMEDIATE")
        await #expect(throws: StoreError.busy("")) {
            try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
        }
        _ = try await other.query("ROLLBACK")
        try await other.close()
        let created = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
        #expect(try await store.applications() == [created])
        try await store.close()
    }

    @Test("database locations parse sqlite: forms and refuse others")
    func parsesLocations() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:data/chat.db") == .sqlite(path: "data/chat.db"))
        #expect(try DatabaseLocation(parsing: "sqlite:///tmp/chat.db") == .sqlite(path: "/tmp/chat.db"))
        #expect(try DatabaseLocation(parsing: "chat.db") == .sqlite(path: "chat.db"))
        #expect(throws: StoreError.invalidDatabaseURL("")) { try DatabaseLocation(parsing: "sqlite:") }
        #expect(throws: StoreError.invalidDatabaseURL("")) { try DatabaseLocation(parsing: "mysql://host/db") }
    }
}
