import ConfabCore
import ConfabTestSupport
import Foundation
import SQLKit
import Testing

@testable import ConfabStore

/// The lean read path (issue 16): rows read by position, stored id lists read without the JSON
/// parser. The cross-store and oracle tests guard that the lists stay byte for byte the same.
@Suite("Rows read by position")
struct RowReadingTests {
    @Test("stored id lists read without the parser exactly as the parser reads them")
    func scannedIntegers() throws {
        var random = SeededRandomNumberGenerator(seed: 16)
        var texts = ["[]", "[ ]", "[0]", "[-7]", "[1,2,3]", "[1, 2, 3]", "[999999999999999999]"]
        for _ in 0..<500 {
            let values = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                Int.random(in: -1_000_000_000...1_000_000_000, using: &random)
            }
            let separator = Bool.random(using: &random) ? "," : ", "
            texts.append("[" + values.map(String.init).joined(separator: separator) + "]")
        }
        for text in texts {
            let parsed = try StoredJSON.decodeIntegers(text, column: "ids")
            #expect(StoredJSON.scanIntegers(text) == parsed, "\(text)")
        }
        // What the scan leaves to the parser: it reads them or names the column.
        for text in ["[1,]", "[,1]", "[1 2]", "[1.5]", "[1e3]", "[\"1\"]", "1", "[", "[-]", "[1234567890123456789]"] {
            #expect(StoredJSON.scanIntegers(text) == nil, "\(text)")
        }
        #expect(throws: StoreError.self) { try StoredJSON.decodeIntegers("[1,]", column: "ids") }
    }

    @Test(
        "a row changed behind Confab's back is a corrupt-row error that names the column",
        arguments: StoreKind.available)
    func corruptRows(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { anyStore in
            let store = try #require(anyStore as? SQLChatStore)
            let fixture = try await ChatFixture.make(in: store, dialogs: 2, messages: 6, seed: 16)
            let applicationId = fixture.application.id
            let query = ListQuery(limit: 100)
            #expect(try await store.messages(applicationId: applicationId, query: query).items.count == 6)
            // Stored text, not compact, comes out of the list as it is: it was not parsed and written again.
            try await store.sessions.withSession { session in
                try await session.sql.raw(
                    #"UPDATE messages SET attachments = '[{"type":"image", "id":"7"}]', custom_fields = '{"b":1, "a":"x"}'"#
                ).run()
            }
            let written = String(
                decoding: AdminListJSON.encode(try await store.messages(applicationId: applicationId, query: query)),
                as: UTF8.self)
            #expect(written.contains(#","b":1, "a":"x","attachments":[{"type":"image", "id":"7"}],"reactions""#))
            let item = try #require(try await store.messages(applicationId: applicationId, query: query).items.first)
            #expect(item.attachments == [["type": .string("image"), "id": .string("7")]])
            #expect(item.customFields == ["b": .integer(1), "a": .string("x")])
            // JSON, so that PostgreSQL's jsonb takes it, but not the list Confab wrote.
            try await store.sessions.withSession { session in
                try await session.sql.raw("UPDATE messages SET read_ids = '{\"a\":1}'").run()
                try await session.sql.raw("UPDATE dialogs SET last_message_status = NULL").run()
            }
            await #expect { try await store.messages(applicationId: applicationId, query: query) } throws: { error in
                (error as? StoreError)?.detail.contains("read_ids") == true
            }
            await #expect { try await store.dialogs(applicationId: applicationId, query: query) } throws: { error in
                (error as? StoreError)?.detail.contains("last_message") == true
            }
            // Attachments and custom fields are written through, so their text is checked to be one
            // whole value of the column's shape before it is. (PostgreSQL's jsonb copy of the custom
            // fields refuses text that is not JSON, so only SQLite can hold the cut ones.)
            let cut = kind == .sqlite ? [("attachments", "[{\"a\":1}"), ("custom_fields", "{\"a\":1}}")] : []
            for (column, value) in [("attachments", "{\"a\":1}"), ("custom_fields", "[{\"a\":1}]")] + cut {
                try await store.sessions.withSession { session in
                    try await session.sql.raw(
                        "UPDATE messages SET read_ids = '[]', \(ident: column) = \(bind: value)"
                    ).run()
                }
                await #expect { try await store.messages(applicationId: applicationId, query: query) } throws: {
                    error in
                    (error as? StoreError)?.detail.contains(column) == true
                }
                try await store.sessions.withSession { session in
                    try await session.sql.raw("UPDATE messages SET attachments = '[]', custom_fields = '{}'").run()
                }
            }
            guard kind == .sqlite else { return }
            // Only SQLite lets a column hold a value of another type.
            try await store.sessions.withSession { session in
                try await session.sql.raw("UPDATE messages SET read_ids = '[]', date_sent = 'soon'").run()
            }
            await #expect { try await store.messages(applicationId: applicationId, query: query) } throws: { error in
                (error as? StoreError)?.detail == "column date_sent holds a value of another type"
            }
        }
    }

    @Test("kept statements are never prepared again, whatever values a page binds")
    func keptStatementsStayPrepared() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        // One reader, so that every page below runs on the one whose statements are counted.
        let store = try await SQLiteChatStore.open(path: path, connections: 1)
        let fixture = try await ChatFixture.make(in: store, dialogs: 3, messages: 300, seed: 16)
        let applicationId = fixture.application.id
        let ids = fixture.messages.map(\.id).sorted()
        var random = SeededRandomNumberGenerator(seed: 16)
        for _ in 0..<60 {
            // A new `LIMIT ?` and a new `_id` bound each time: values a plan could look at.
            let before = ids[Int.random(in: 0..<ids.count, using: &random)]
            let limit = Int.random(in: 1...100, using: &random)
            let page = try await store.messages(
                applicationId: applicationId, query: ListQuery(filters: [.id(.lt, before)], limit: limit))
            #expect(page.items.count == min(limit, ids.firstIndex(of: before)!))
            _ = try await store.messages(applicationId: applicationId, query: ListQuery(limit: limit))
        }
        let (reprepares, kept) = try await Self.statements(of: store.listSessions)
        #expect(kept >= 4)
        #expect(reprepares == 0)
        try await store.close()
    }

    @Test("a writer keeps its statements too: a message write prepares none of them again")
    func writerKeepsStatements() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        // One writer connection, so that every write below runs on the one whose statements are counted.
        let store = try await SQLiteChatStore.open(path: path, connections: 1)
        let fixture = try await ChatFixture.make(in: store, dialogs: 2, messages: 10, seed: 17)
        let applicationId = fixture.application.id
        let template = try #require(fixture.messages.first)
        // The migrations' statements were prepared again as each changed the schema: count after them.
        let (migrated, _) = try await Self.statements(of: store.sessions)
        var ids = ObjectIdSequence(random: 17, counter: 0)
        for index in 0..<40 {
            let time = template.dateSent + Int64(index) * 3_600
            var message = template
            message.id = ids.next(timestamp: UInt32(time))
            message.text = "kept \(index)"
            message.dateSent = time
            try await store.write(applicationId: applicationId) { [message] in try await $0.insert(message) }
        }
        let listed = try await store.messages(applicationId: applicationId, query: ListQuery(limit: 100))
        #expect(listed.items.filter { $0.text?.hasPrefix("kept ") == true }.count == 40)
        let (reprepares, kept) = try await Self.statements(of: store.sessions)
        // A message write's statements: the sequence number, the row, its counted trees, its day.
        #expect(kept >= 4)
        #expect(reprepares == migrated)
        try await store.close()
    }

    @Test("a statement run once (cache: false) whose SQL is kept leaves the kept one in place")
    func uncachedRunOfKeptStatement() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let connection = try SQLiteDirectConnection(path: path, role: .writer, cacheKiB: 1_024, lockWait: .seconds(1))
        defer { connection.close() }
        let sql = "SELECT ? + 1"
        let answers = try [true, false, true, false].map { cache in
            try connection.run(sql, [.integer(41)], cache: cache) { try $0.integer(at: 0) }
        }
        #expect(answers == [[42], [42], [42], [42]])
        #expect(connection.keptStatements == 1)
    }

    /// The re-prepares so far of the one connection of `sessions`, and how many statements it keeps.
    private static func statements(of sessions: any SQLSessions) async throws -> (reprepares: Int, kept: Int) {
        try await sessions.withSession { session in
            let connection = try #require(session.sql as? SQLiteDirectDatabase).connection
            return (connection.reprepares, connection.keptStatements)
        }
    }

    private static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("confab-\(UUID().uuidString).sqlite").path
    }

    /// The SQLite file at `path` and its WAL and shared-memory files.
    private static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
