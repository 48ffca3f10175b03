import ConfabAdminClient
import ConfabCore
import ConfabStore
import Foundation

/// Makes and keeps a copy of one application of a Confab server in a local store, which
/// `confab serve` then serves with the same admin key (docs/change-feed.md, "Mirrors").
///
/// One streaming export (from one snapshot), then the change feed from a cursor taken before
/// the export began, each page applied in one transaction together with the cursor after it:
/// a copy stopped anywhere (even by SIGKILL) resumes where its database says, applying nothing
/// twice and missing nothing. Changes between the cursor and the export's snapshot arrive again
/// from the feed; applying them is idempotent.
public struct ChatMirror: Sendable {
    public let client: AdminClient
    public let store: any ChatStore
    /// What the copy is of: the server's address, kept with the copy's state.
    public let source: String
    /// The application's id, where the server does not say it (`Confab-Application-Id`).
    public var applicationId: Int?
    /// How long a follower waits, once caught up, before asking again.
    public var pollInterval: Duration = .seconds(1)

    public init(client: AdminClient, store: any ChatStore, source: String, applicationId: Int? = nil) {
        self.client = client
        self.store = store
        self.source = source
        self.applicationId = applicationId
    }

    /// What a run reports as it goes.
    public enum Event: Sendable, Equatable {
        /// The first export is under way: rows copied so far.
        case exporting(dialogs: Int, messages: Int)
        /// The first export is done.
        case exported(dialogs: Int, messages: Int, seconds: Double)
        /// Changes applied so far in this round.
        case applying(upserts: Int, deletions: Int)
        /// A round ended caught up: what it applied.
        case caughtUp(upserts: Int, deletions: Int, seconds: Double)
        /// The feed no longer reaches back to the saved cursor (HTTP 410): exporting again.
        case cursorExpired
        /// The server has no change feed (ConnectyCube): the lists are polled by `updated_at`,
        /// which cannot see deletions.
        case polling
    }

    /// Copies the application, then follows its changes: once to the end (`follow` false), or
    /// until the task is cancelled.
    public func run(follow: Bool, report: @Sendable (Event) -> Void = { _ in }) async throws {
        let now: ChangePage
        let named: Int?
        do {
            (now, named) = try await client.changePageAndApplication(from: .now, limit: 1)
        } catch let error as AdminClientError where error.code == .incompatibleServer && error.status == 404 {
            // No change feed: ConnectyCube itself.
            guard let id = applicationId else { throw MirrorError.applicationUnknown(source) }
            _ = try await store.adoptApplication(
                id: id, name: "Mirror of \(source)", adminAPIKey: client.apiKey, createdAt: Self.now())
            report(.polling)
            try await poll(into: id, follow: follow, report: report)
            return
        }
        guard let id = applicationId ?? named else { throw MirrorError.applicationUnknown(source) }
        _ = try await store.adoptApplication(
            id: id, name: "Mirror of \(source)", adminAPIKey: client.apiKey, createdAt: Self.now())
        var state = try await store.mirrorState(applicationId: id)
        if state?.source != source { state = nil }
        while true {
            var current = state ?? MirrorState(source: source, cursor: now.nextCursor.text, exported: false)
            if state == nil { try await store.saveMirrorState(current, applicationId: id) }
            if !current.exported {
                try await export(into: id, report: report)
                current.exported = true
                try await store.saveMirrorState(current, applicationId: id)
            }
            guard let cursor = ChangeCursor(text: current.cursor) else { throw MirrorError.badState(current.cursor) }
            do {
                try await followFeed(from: cursor, into: id, follow: follow, report: report)
                return
            } catch let error as AdminClientError where error.code == .expiredCursor {
                report(.cursorExpired)
                let restart = try await client.changePage(from: .now, limit: 1).nextCursor
                state = MirrorState(source: source, cursor: restart.text, exported: false)
                try await store.saveMirrorState(state!, applicationId: id)
            }
        }
    }

    /// Rows the first copy writes in one transaction: an export batch is 500, and a transaction
    /// per batch made the copy commit-bound (BENCHMARKS.md, issue 17).
    static let rowsPerCopy = 10_000

    private func export(into id: Int, report: @Sendable (Event) -> Void) async throws {
        let started = ContinuousClock.now
        let dialogs = try await copy(AdminDialog.self, row: { try $0.dialog() }) { rows, total in
            _ = try await store.insertNew(dialogs: rows, messages: [], applicationId: id)
            report(.exporting(dialogs: total, messages: 0))
        }
        let messages = try await copy(AdminMessage.self, row: { try $0.message() }) { rows, total in
            _ = try await store.insertNew(dialogs: [], messages: rows, applicationId: id)
            report(.exporting(dialogs: dialogs, messages: total))
        }
        report(.exported(dialogs: dialogs, messages: messages, seconds: Self.seconds(since: started)))
    }

    /// One streaming export of `item`'s list, written by `insert` in runs of `rowsPerCopy` rows
    /// (with the rows copied so far); answers how many rows it copied.
    private func copy<Item: AdminListItem, Row>(
        _ item: Item.Type, row: (Item) throws -> Row, insert: ([Row], _ total: Int) async throws -> Void
    ) async throws -> Int {
        var pending = [Row]()
        var total = 0
        func flush() async throws {
            guard !pending.isEmpty else { return }
            total += pending.count
            try await insert(pending, total)
            pending.removeAll(keepingCapacity: true)
        }
        _ = try await client.streamExport(item) { items, _ in
            pending += try items.map(row)
            if pending.count >= Self.rowsPerCopy { try await flush() }
        }
        try await flush()
        return total
    }

    private func followFeed(
        from start: ChangeCursor, into id: Int, follow: Bool, report: @Sendable (Event) -> Void
    ) async throws {
        var cursor = start
        var upserts = 0
        var deletions = 0
        var roundStarted = ContinuousClock.now
        var firstRound = true
        while true {
            try Task.checkCancellation()
            let page = try await client.changePage(from: .after(cursor), limit: 1_000)
            if page.changes.isEmpty {
                if upserts + deletions > 0 || firstRound {
                    report(
                        .caughtUp(upserts: upserts, deletions: deletions, seconds: Self.seconds(since: roundStarted)))
                }
                guard follow else { return }
                (upserts, deletions, firstRound) = (0, 0, false)
                try await Task.sleep(for: pollInterval)
                roundStarted = .now
                continue
            }
            try await store.apply(
                page.changes, applicationId: id,
                mirrorState: MirrorState(source: source, cursor: page.nextCursor.text, exported: true))
            cursor = page.nextCursor
            let deleted = page.changes.count { $0.isDeletion }
            deletions += deleted
            upserts += page.changes.count - deleted
            report(.applying(upserts: upserts, deletions: deletions))
        }
    }

    /// Copies what the lists show updated since the last round, by `updated_at` ascending (the
    /// second of the last row seen again, since rows of one second can be written after it was
    /// read); the position is `poll:<dialogs' updated_at>:<messages' updated_at>`.
    private func poll(into id: Int, follow: Bool, report: @Sendable (Event) -> Void) async throws {
        var state = try await store.mirrorState(applicationId: id)
        if state?.source != source { state = nil }
        var marks = (state?.cursor).flatMap(PollMarks.init(text:)) ?? PollMarks()
        while true {
            let started = ContinuousClock.now
            var changed = 0
            changed += try await poll(AdminDialog.self, after: marks.dialogs, into: id, marks: &marks, report: report) {
                let dialog = try $0.dialog()
                return (.dialog(dialog, sequence: 0), dialog.updatedAt)
            }
            changed += try await poll(AdminMessage.self, after: marks.messages, into: id, marks: &marks, report: report)
            {
                let message = try $0.message()
                return (.message(message, sequence: 0), message.updatedAt)
            }
            report(.caughtUp(upserts: changed, deletions: 0, seconds: Self.seconds(since: started)))
            guard follow else { return }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// One list's rows updated at or after `after`, ascending, each page applied with the marks
    /// after it; returns how many were updated after `after`.
    private func poll<Item: AdminListItem>(
        _ item: Item.Type, after: Int64?, into id: Int, marks: inout PollMarks, report: @Sendable (Event) -> Void,
        change: (Item) throws -> (ChatChange, updatedAt: Int64)
    ) async throws -> Int {
        let filters =
            after.map { [AdminFilter.updatedAt(.greaterThanOrEqual(Date(timeIntervalSince1970: TimeInterval($0))))] }
            ?? []
        var changed = 0
        for try await page in client.pages(
            Item.self, AdminListQuery(filters, sort: ListSort(field: .updatedAt, direction: .ascending)))
        {
            let changes = try page.items.map(change)
            changed += changes.count { change in after.map { change.updatedAt > $0 } ?? true }
            if let newest = changes.map(\.updatedAt).max() {
                marks[Item.collection] = max(newest, marks[Item.collection] ?? newest)
            }
            try await store.apply(
                changes.map(\.0), applicationId: id,
                mirrorState: MirrorState(source: source, cursor: marks.text, exported: true))
            report(.applying(upserts: changed, deletions: 0))
        }
        return changed
    }

    /// How far polling has read each list, by `updated_at`.
    private struct PollMarks {
        var dialogs: Int64?
        var messages: Int64?

        init() {}

        init?(text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "poll" else { return nil }
            dialogs = Int64(parts[1])
            messages = Int64(parts[2])
        }

        subscript(collection: ChatCollection) -> Int64? {
            get { collection == .dialogs ? dialogs : messages }
            set {
                if collection == .dialogs { dialogs = newValue } else { messages = newValue }
            }
        }

        var text: String { "poll:\(dialogs.map(String.init) ?? ""):\(messages.map(String.init) ?? "")" }
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Why a mirror cannot start.
public enum MirrorError: Error, Sendable, CustomStringConvertible {
    /// The server names no application and none was given.
    case applicationUnknown(String)
    /// The saved state is not one this version wrote.
    case badState(String)

    public var description: String {
        switch self {
        case .applicationUnknown(let source):
            "\(source) does not say which application the key is (not Confab?): give --app ID"
        case .badState(let cursor):
            "the mirror's saved cursor \(cursor.prefix(64)) is not one Confab writes; mirror into a new database"
        }
    }
}
