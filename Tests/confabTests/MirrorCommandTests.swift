import AsyncHTTPClient
import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import NIOCore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `confab mirror` as the built binary: it copies a live server while the server takes writes,
/// edits, deletes for one user and for everyone; it is killed with SIGKILL and resumed; once the
/// writes stop, the copy served by `confab serve`'s router answers both admin lists (and their
/// exports) byte for byte as the source does, with the same key.
@Suite("confab mirror", .serialized)
struct MirrorCommandTests {
    @Test(
        "a mirror of a server taking writes, killed and resumed, equals it byte for byte",
        arguments: StoreKind.available)
    func mirrorsUnderWrites(kind: StoreKind) async throws {
        try await withTemporaryDirectory { directory in
            try await withTemporaryStore(kind) { source in
                let fixture = try await ChatFixture.make(in: source, dialogs: 30, messages: 900, seed: 21)
                let key = fixture.credentials.adminAPIKey
                let copyPath = directory.appendingPathComponent("copy.sqlite").path
                try await withLiveServer(store: source) { url in
                    let stop = StopFlag()
                    let writer = Task {
                        try await Self.write(into: source, fixture.application.id, fixture, until: stop)
                    }
                    let arguments = [
                        "mirror", "--from", url, "--key=\(key)", "--into", "sqlite:\(copyPath)", "--poll-interval",
                        "0.05",
                    ]
                    let first = try RunningServer(arguments + ["--follow"], in: directory)
                    defer { first.stop() }
                    #expect(
                        await first.waitForOutput(seconds: 120) { $0.contains("Caught up") }, "\(first.output)")
                    #expect(first.output.contains("Exported "), "\(first.output)")
                    first.send(SIGKILL)
                    #expect(await first.waitForExit(within: 30))

                    let second = try RunningServer(arguments + ["--follow"], in: directory)
                    defer { second.stop() }
                    #expect(
                        await second.waitForOutput(seconds: 120) { $0.contains("Caught up") }, "\(second.output)")
                    #expect(!second.output.contains("Exported"), "a resumed mirror exported again: \(second.output)")
                    stop.raise()
                    let written = try await writer.value
                    #expect(written > 50, "the writer should have run beside the mirror")
                    second.send(SIGKILL)
                    #expect(await second.waitForExit(within: 30))

                    // Once more without --follow: it catches up and exits 0. (Run without blocking a
                    // thread: the source server answers on this process's threads.)
                    let last = try RunningServer(arguments, in: directory)
                    defer { last.stop() }
                    #expect(await last.waitForOutput(seconds: 120) { $0.contains("Caught up") }, "\(last.output)")
                    #expect(await last.waitForExit(within: 60))
                    #expect(last.process.terminationStatus == 0, "\(last.output)")

                    let copy = try await SQLiteChatStore.open(path: copyPath)
                    do {
                        try await withLiveServer(store: copy) { copyURL in
                            for path in [
                                "/admin/chat/export", "/admin/chat/messages/export", "/admin/chat/list?limit=100",
                                "/admin/chat/messages/list?limit=100&sort_asc=updated_at",
                                "/admin/stats/messages/sent-per-day",
                            ] {
                                let expected = try await Self.get(url + path, key: key)
                                #expect(expected.count > 100, "\(path)")
                                #expect(try await Self.get(copyURL + path, key: key) == expected, "\(path)")
                            }
                        }
                    } catch {
                        try? await copy.close()
                        throw error
                    }
                    try await copy.close()
                }
            }
        }
    }

    @Test("against a server without the feed (ConnectyCube) it polls by updated_at, and says deletions are not seen")
    func pollsWithoutFeed() async throws {
        try await withTemporaryDirectory { directory in
            try await withTemporaryStore(.sqlite) { source in
                let fixture = try await ChatFixture.make(in: source, dialogs: 12, messages: 250, seed: 31)
                let key = fixture.credentials.adminAPIKey
                let copyPath = directory.appendingPathComponent("copy.sqlite").path
                try await withLiveServer(store: source, script: RequestScript(withoutExport: true)) { url in
                    let arguments = [
                        "mirror", "--from", url, "--key=\(key)", "--into", "sqlite:\(copyPath)",
                        "--app", String(fixture.application.id),
                    ]
                    let without = try RunningServer(Array(arguments.dropLast(2)), in: directory)
                    defer { without.stop() }
                    #expect(await without.waitForExit(within: 60))
                    #expect(without.process.terminationStatus == 4)
                    for round in 0..<2 {
                        if round == 1 {
                            // An edit the second round must pick up.
                            let edited = fixture.messages[7]
                            try await source.write(applicationId: fixture.application.id) { transaction in
                                var message = edited
                                message.text = "edited"
                                message.updatedAt = fixture.messages.map(\.updatedAt).max()! + 10
                                try await transaction.update(message)
                            }
                        }
                        let run = try RunningServer(arguments, in: directory)
                        defer { run.stop() }
                        #expect(await run.waitForOutput(seconds: 120) { $0.contains("Caught up") }, "\(run.output)")
                        #expect(await run.waitForExit(within: 60))
                        #expect(run.process.terminationStatus == 0, "\(run.output)")
                        #expect(run.output.contains("deletions on the source are not seen"), "\(run.output)")
                        if round == 1 { #expect(run.output.contains("Caught up: 1 upserts"), "\(run.output)") }
                    }
                    let copy = try await SQLiteChatStore.open(path: copyPath)
                    do {
                        try await withLiveServer(store: copy) { copyURL in
                            for path in [
                                "/admin/chat/list?limit=100", "/admin/chat/messages/list?limit=100&sort_asc=updated_at",
                            ] {
                                let expected = try await Self.get(url + path, key: key)
                                #expect(try await Self.get(copyURL + path, key: key) == expected, "\(path)")
                            }
                        }
                    } catch {
                        try? await copy.close()
                        throw error
                    }
                    try await copy.close()
                }
            }
        }
    }

    /// Random chat writes into the source's store until `stop`: new messages, edits, deletes
    /// for one user (an update) and for everyone, and now and then a dialog created or deleted
    /// with its messages. Returns how many transactions it committed.
    static func write(into store: any ChatStore, _ app: Int, _ fixture: ChatFixture, until stop: StopFlag)
        async throws -> Int
    {
        var random = SeededRandomNumberGenerator(seed: 5)
        var ids = ObjectIdSequence(random: 99, counter: 0)
        var dialogs = fixture.dialogs.map(\.id)
        var messages = fixture.messages.map { ($0.id, $0.chatDialogId) }
        var time: Int64 = 1_760_000_000
        var count = 0
        while !stop.isRaised || count < 60 {
            time += 1
            let roll = Int.random(in: 0..<100, using: &random)
            let stamp = time
            if roll < 45 || messages.isEmpty {
                let dialog = dialogs.randomElement(using: &random)!
                let message = Message(
                    id: ids.next(timestamp: UInt32(stamp)), chatDialogId: dialog, text: "m\(count)", dateSent: stamp,
                    senderId: 1, createdAt: stamp, updatedAt: stamp)
                try await store.write(applicationId: app) { try await $0.insert(message) }
                messages.append((message.id, dialog))
            } else if roll < 75 {
                let (id, _) = messages.randomElement(using: &random)!
                let forUser = Int.random(in: 1...9, using: &random)
                let edit = Bool.random(using: &random)
                try await store.write(applicationId: app) { transaction in
                    guard var message = try await transaction.message(id) else { return }
                    if edit { message.text = "edited \(stamp)" } else { message.deletedForIds.append(forUser) }
                    message.updatedAt = stamp
                    try await transaction.update(message)
                }
            } else if roll < 95 {
                let index = Int.random(in: 0..<messages.count, using: &random)
                let (id, _) = messages.remove(at: index)
                try await store.write(applicationId: app) { try await $0.deleteMessage(id) }
            } else if roll < 98 || dialogs.count < 5 {
                let dialog = Dialog(
                    id: ids.next(timestamp: UInt32(stamp)), userId: 1, type: .group, name: "new \(count)",
                    occupantsIds: [1, 2], createdAt: stamp, updatedAt: stamp)
                try await store.write(applicationId: app) { try await $0.insert(dialog) }
                dialogs.append(dialog.id)
            } else {
                let index = Int.random(in: 0..<dialogs.count, using: &random)
                let dialog = dialogs.remove(at: index)
                try await store.write(applicationId: app) { try await $0.deleteDialog(dialog) }
                messages.removeAll { $0.1 == dialog }
            }
            count += 1
            // Paced, so the mirror's rounds interleave with the writes (not a synchronisation).
            try await Task.sleep(for: .milliseconds(2))
        }
        return count
    }

    static func get(_ url: String, key: String) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "CB-Administration-API-Key", value: key)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        #expect(response.status == .ok, "\(url)")
        return Array(buffer: try await response.body.collect(upTo: 64 << 20))
    }
}

/// Tells a loop in another task to end.
final class StopFlag: Sendable {
    private let raised = Mutex(false)
    var isRaised: Bool { raised.withLock { $0 } }
    func raise() { raised.withLock { $0 = true } }
}
