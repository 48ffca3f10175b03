import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
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

    @Test("database locations parse sqlite: forms and refuse others")
    func parsesLocations() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:data/chat.db") == .sqlite(path: "data/chat.db"))
        #expect(try DatabaseLocation(parsing: "sqlite:///tmp/chat.db") == .sqlite(path: "/tmp/chat.db"))
        #expect(try DatabaseLocation(parsing: "chat.db") == .sqlite(path: "chat.db"))
        #expect(throws: StoreError.invalidDatabaseURL("")) { try DatabaseLocation(parsing: "sqlite:") }
        #expect(throws: StoreError.invalidDatabaseURL("")) { try DatabaseLocation(parsing: "mysql://host/db") }
    }
}
