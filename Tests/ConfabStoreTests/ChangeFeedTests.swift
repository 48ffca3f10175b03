import ConfabCore
import ConfabTestSupport
import Foundation
import Testing

@testable import ConfabStore

/// The change feed (docs/change-feed.md) on each store: random writes, edits and deletes,
/// followed by a copy that applies the feed, which must end byte for byte where the source is.
@Suite("The change feed")
struct ChangeFeedTests {
    /// Every dialog and message of the application, as the admin lists write them, in `_id` order.
    static func adminLists(_ store: any ChatStore, _ applicationId: Int) async throws -> [[UInt8]] {
        let collected = Collected()
        try await store.exportDialogs(applicationId: applicationId, query: ListQuery(), batchRows: 500) { batch in
            for dialog in batch {
                var writer = JSONWriter()
                AdminListJSON.write(dialog, to: &writer)
                await collected.add(writer.bytes)
            }
        }
        try await store.exportMessages(applicationId: applicationId, query: ListQuery(), batchRows: 500) { batch in
            for message in batch {
                var writer = JSONWriter()
                AdminListJSON.write(message, to: &writer)
                await collected.add(writer.bytes)
            }
        }
        return await collected.items
    }

    /// Reads the feed from `start` to its end in pages of `limit`, applying each to `copy`;
    /// returns where it ended and every position handed out.
    static func follow(
        _ source: any ChatStore, _ sourceApp: Int, from start: ChangeStart, limit: Int, into copy: any ChatStore,
        _ copyApp: Int
    ) async throws -> (ChangeCursor, [ChangeCursor]) {
        var start = start
        var positions: [ChangeCursor] = []
        var cursor = ChangeCursor.beginning
        while true {
            let page = try await source.changes(applicationId: sourceApp, from: start, limit: limit)
            #expect(page.changes.count <= limit)
            positions += page.changes.map(\.position)
            try await copy.apply(page.changes, applicationId: copyApp)
            cursor = page.nextCursor
            start = .after(page.nextCursor)
            if page.changes.isEmpty {
                #expect(!page.hasMore)
                return (cursor, positions)
            }
        }
    }

    @Test(
        "a copy that follows the feed equals the source byte for byte; so does a replay from the start",
        arguments: StoreKind.available)
    func followAndReplay(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { source in
            try await withTemporaryStore(kind) { copy in
                let app = try await source.createApplication(name: "Source", credentials: .random(), createdAt: 1)
                let copyApp = try await copy.createApplication(name: "Copy", credentials: .random(), createdAt: 1)
                var writes = RandomChatWrites(seed: 77)
                var cursor = ChangeStart.beginning
                var random = SeededRandomNumberGenerator(seed: 78)
                var followed = 0
                while writes.count < 1_200 {
                    try await RandomChatWrites.run(writes.nextTransaction(), on: source, applicationId: app.id)
                    if Int.random(in: 0..<6, using: &random) == 0 {
                        let (end, positions) = try await Self.follow(
                            source, app.id, from: cursor, limit: Int.random(in: 1...40, using: &random), into: copy,
                            copyApp.id)
                        #expect(positions == positions.sorted() && Set(positions).count == positions.count)
                        cursor = .after(end)
                        followed += positions.count
                        let expected = try await Self.adminLists(source, app.id)
                        #expect(try await Self.adminLists(copy, copyApp.id) == expected, "after \(writes.count) writes")
                    }
                }
                #expect(followed > 500)
                // A replay of the whole feed onto an empty application.
                let replay = try await copy.createApplication(name: "Replay", credentials: .random(), createdAt: 1)
                let (_, positions) = try await Self.follow(
                    source, app.id, from: .beginning, limit: 100, into: copy, replay.id)
                let expected = try await Self.adminLists(source, app.id)
                #expect(expected.count > 100)
                #expect(try await Self.adminLists(copy, replay.id) == expected)
                // Each live row once, at its latest change; tombstones beside them.
                #expect(positions.count >= expected.count)
            }
        }
    }

    @Test("a feed read while another connection writes misses and repeats nothing", arguments: StoreKind.available)
    func concurrentReadsAndWrites(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { source in
            try await withTemporaryStore(kind) { copy in
                let app = try await source.createApplication(name: "Source", credentials: .random(), createdAt: 1)
                let copyApp = try await copy.createApplication(name: "Copy", credentials: .random(), createdAt: 1)
                let writer = Task {
                    var writes = RandomChatWrites(seed: 91)
                    while writes.count < 1_500 {
                        try await RandomChatWrites.run(writes.nextTransaction(), on: source, applicationId: app.id)
                    }
                }
                var start = ChangeStart.beginning
                var positions: [ChangeCursor] = []
                var pages = 0
                var writerDone = false
                while true {
                    let page = try await source.changes(applicationId: app.id, from: start, limit: 25)
                    positions += page.changes.map(\.position)
                    try await copy.apply(page.changes, applicationId: copyApp.id)
                    start = .after(page.nextCursor)
                    pages += 1
                    if page.changes.isEmpty {
                        if writerDone { break }
                        try await writer.value
                        writerDone = true
                    }
                }
                #expect(pages > 20, "the reader should have run beside the writer")
                #expect(positions == positions.sorted(), "out of order")
                #expect(Set(positions).count == positions.count, "a change handed out twice")
                #expect(try await Self.adminLists(copy, copyApp.id) == (try await Self.adminLists(source, app.id)))
            }
        }
    }

    @Test(
        "several changes of one row appear once, at the latest; cursor=now starts at the end",
        arguments: StoreKind.available)
    func coalescingAndNow(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let app = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            var ids = ObjectIdSequence(random: 5, counter: 0)
            let dialog = Dialog(
                id: ids.next(timestamp: 1_700_000_000), userId: 1, type: .group, name: "d", occupantsIds: [1],
                createdAt: 1_700_000_000, updatedAt: 1_700_000_000)
            let other = Dialog(
                id: ids.next(timestamp: 1_700_000_001), userId: 1, type: .group, name: "e", occupantsIds: [1],
                createdAt: 1_700_000_001, updatedAt: 1_700_000_001)
            try await store.write(applicationId: app.id) { try await $0.insert(dialog) }
            try await store.write(applicationId: app.id) { try await $0.insert(other) }
            let now = try await store.changes(applicationId: app.id, from: .now, limit: 10)
            #expect(now.changes.isEmpty && !now.hasMore)
            for name in ["x", "y", "z"] {
                var changed = dialog
                changed.name = name
                try await store.write(applicationId: app.id) { [changed] in try await $0.update(changed) }
            }
            let all = try await store.changes(applicationId: app.id, from: .beginning, limit: 10)
            #expect(all.changes.count == 2)
            guard case .dialog(let first, _) = all.changes.first, case .dialog(let last, _) = all.changes.last else {
                Issue.record("expected two dialogs: \(all.changes)")
                return
            }
            #expect(first.id == other.id)
            #expect(last.id == dialog.id && last.name == "z")
            let since = try await store.changes(applicationId: app.id, from: .after(now.nextCursor), limit: 10)
            #expect(since.changes.map(\.position) == [all.changes[1].position])
            let limited = try await store.changes(applicationId: app.id, from: .beginning, limit: 1)
            #expect(limited.hasMore && limited.changes.count == 1)
        }
    }

    @Test(
        "dropped tombstones expire the cursors before them, not the start or later cursors",
        arguments: StoreKind.available)
    func retention(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 4, messages: 40, seed: 9)
            let app = fixture.application.id
            let before = try await store.changes(applicationId: app, from: .now, limit: 1).nextCursor
            let doomed = fixture.messages[3]
            try await store.write(applicationId: app) { try await $0.deleteMessage(doomed.id) }
            let tombstones = try await store.changes(applicationId: app, from: .after(before), limit: 10)
            #expect(
                tombstones.changes == [
                    .deletedMessage(
                        doomed.id, dialogId: doomed.chatDialogId, sequence: tombstones.nextCursor.sequence,
                        at: {
                            if case .deletedMessage(_, _, _, let at) = tombstones.changes.first { at } else { 0 }
                        }())
                ])
            let after = tombstones.nextCursor
            #expect(try await store.purgeChanges(deletedBefore: ChatTransaction.now() - 3_600) == 0)
            #expect(try await store.purgeChanges(deletedBefore: ChatTransaction.now() + 1) == 1)
            await #expect(throws: StoreError.expiredCursor("")) {
                _ = try await store.changes(applicationId: app, from: .after(before), limit: 10)
            }
            let fromStart = try await store.changes(applicationId: app, from: .beginning, limit: 1_000)
            #expect(fromStart.changes.count == 4 + 39)
            #expect(!fromStart.changes.contains { $0.isDeletion })
            #expect(try await store.changes(applicationId: app, from: .after(after), limit: 10).changes.isEmpty)
        }
    }
}

private actor Collected {
    var items: [[UInt8]] = []
    func add(_ item: [UInt8]) { items.append(item) }
}
