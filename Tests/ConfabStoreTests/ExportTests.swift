import ConfabCore
import ConfabStore
import ConfabTestSupport
import Synchronization
import Testing

/// The store half of the streaming export: a keyset walk in batches inside one read snapshot.
@Suite("Exports from one snapshot")
struct ExportTests {
    /// What an export handed over, batch by batch.
    final class Batches<Item: Sendable>: Sendable {
        let batches = Mutex<[[Item]]>([])
        var items: [Item] { batches.withLock { $0.flatMap { $0 } } }
        var sizes: [Int] { batches.withLock { $0.map(\.count) } }
        func add(_ batch: [Item]) { batches.withLock { $0.append(batch) } }
    }

    @Test(
        "every matching row once, in the list's order and ties by _id, in batches; paging ignored",
        arguments: StoreKind.available)
    func walk(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 12, messages: 180, tiedMessages: 25)
            let appId = fixture.application.id
            let pivot = fixture.messages[fixture.messages.count / 3]
            for field in [ListField.id, .createdAt, .updatedAt] {
                for direction in [ListSort.Direction.ascending, .descending] {
                    for filters in [[], [ListFilter.createdAt(.gte, pivot.createdAt)]] {
                        var query = ListQuery(filters: filters, sort: ListSort(field: field, direction: direction))
                        query.limit = 3
                        query.skip = 40
                        let exported = Batches<Message>()
                        try await store.exportMessages(applicationId: appId, query: query, batchRows: 7) {
                            exported.add($0)
                        }
                        var everything = query
                        (everything.limit, everything.skip) = (fixture.messages.count, 0)
                        let expected = ListOracle.page(fixture.messages, query: everything).items
                        #expect(exported.items == expected, "\(field) \(direction) \(filters)")
                        #expect(exported.sizes.dropLast().allSatisfy { $0 == 7 })
                    }
                }
            }
            let dialogs = Batches<Dialog>()
            try await store.exportDialogs(applicationId: appId, query: ListQuery(), batchRows: 5) { dialogs.add($0) }
            #expect(dialogs.items == ListOracle.page(fixture.dialogs, query: ListQuery(limit: 100)).items)
        }
    }

    @Test("rows written and deleted while an export is held do not change it", arguments: StoreKind.available)
    func snapshot(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 5, messages: 60)
            let appId = fixture.application.id
            let ascending = ListQuery(sort: ListSort(field: .id, direction: .ascending))
            let doomed = fixture.messages.max { $0.id < $1.id }!
            let newcomer = {
                var message = doomed
                message.id = ObjectId(hex: "ffffffffffffffffffffff01")!
                return message
            }()
            let exported = Batches<Message>()
            try await store.exportMessages(applicationId: appId, query: ascending, batchRows: 10) { batch in
                if exported.sizes.isEmpty {
                    // Mid-export, from other connections: a new last row, and the old last one gone.
                    try await store.insert(dialogs: [], messages: [newcomer], applicationId: appId)
                    try await store.write(applicationId: appId) { try await $0.deleteMessage(doomed.id) }
                }
                exported.add(batch)
            }
            #expect(
                exported.items
                    == ListOracle.page(fixture.messages, query: ListQuery(sort: ascending.sort, limit: 100)).items)
            let after = try await store.messages(applicationId: appId, query: ListQuery(sort: ascending.sort))
            #expect(
                after.items.last?.id == newcomer.id && !after.items.contains { $0.id == doomed.id },
                "the writes happened")
        }
    }

    struct Stop: Error {}

    @Test("what the consumer throws ends the export and is rethrown; the store goes on", arguments: StoreKind.available)
    func stopped(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 3, messages: 40)
            let appId = fixture.application.id
            let seen = Batches<Message>()
            await #expect(throws: Stop.self) {
                try await store.exportMessages(applicationId: appId, query: ListQuery(), batchRows: 10) {
                    seen.add($0)
                    throw Stop()
                }
            }
            #expect(seen.sizes == [10])
            // Many more stopped exports than the store has connections: each gave its own back.
            for _ in 0..<40 {
                try? await store.exportMessages(applicationId: appId, query: ListQuery(), batchRows: 1) { _ in
                    throw Stop()
                }
            }
            let all = Batches<Message>()
            try await store.exportMessages(applicationId: appId, query: ListQuery(), batchRows: 100) { all.add($0) }
            #expect(all.items.count == 40)
        }
    }
}
