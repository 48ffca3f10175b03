import ConfabAdminClient
import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import Testing

@Suite("AdminClient against a live Confab server")
struct AdminClientTests {
    @Test(
        "a full walk returns the admin list: every row once, in order, every member as served",
        arguments: StoreKind.available)
    func fullWalk(kind: StoreKind) async throws {
        try await withServedFixture(kind, pageSize: 100) { client, fixture in
            let messages = try await client.messages().collect()
            let expected = expectedMessages(fixture, ListQuery())
            #expect(messages.count == fixture.messages.count)
            #expect(messages.map(\.id) == expected.map(\.id))
            #expect(try messages.map(\.json) == expected.map(adminJSON))

            let dialogs = try await client.dialogs().collect()
            #expect(try dialogs.map(\.json) == expectedDialogs(fixture, ListQuery()).map(adminJSON))
            #expect(try dialogs.map { try $0.dialog() } == expectedDialogs(fixture, ListQuery()))

            let first = try await client.page(AdminMessage.self, limit: 3)
            #expect(first.totalEntries == fixture.messages.count)
            #expect(first.items.map(\.id) == expected.prefix(3).map(\.id))
        }
    }

    @Test(
        "the streaming export gives the walk's items and positions, resumes after an _id, and refuses a position inside equal times",
        arguments: StoreKind.available)
    func streamExport(kind: StoreKind) async throws {
        try await withServedFixture(kind, pageSize: 100) { client, fixture in
            let expected = expectedMessages(fixture, ListQuery())
            let collected = ItemsCollected<AdminMessage>()
            let count = try await client.streamExport(AdminMessage.self) { items, position in
                await collected.add(items, position)
            }
            #expect(count == fixture.messages.count)
            #expect(try await collected.items.map(\.json) == expected.map(adminJSON))
            let walked = try await client.pages(AdminMessage.self).reduce(into: [ListPosition?]()) {
                $0.append($1.position)
            }
            #expect(await collected.positions.last == walked.last)

            let position = ListPosition(lastId: expected[99].id, lastKey: 0, rowsAtKey: 1)
            let rest = ItemsCollected<AdminMessage>()
            let restCount = try await client.streamExport(AdminMessage.self, after: position) { await rest.add($0, $1) }
            #expect(restCount == expected.count - 100)
            #expect(await rest.items.map(\.id) == expected.dropFirst(100).map(\.id))

            var compressing = client
            compressing.compressesExports = true
            let unpacked = ItemsCollected<AdminMessage>()
            #expect(try await compressing.streamExport(AdminMessage.self) { await unpacked.add($0, $1) } == count)
            #expect(await unpacked.items == collected.items)

            let byTime = AdminListQuery(sort: ListSort(field: .createdAt, direction: .descending))
            let tied = ListPosition(lastId: expected[0].id, lastKey: expected[0].createdAt, rowsAtKey: 2)
            await #expect {
                try await client.streamExport(AdminMessage.self, byTime, after: tied) { _, _ in }
            } throws: {
                ($0 as? AdminClientError)?.code == .invalidQuery
            }
        }
    }

    @Test(
        "each typed filter and sort gives the oracle's rows, ties across pages included", arguments: StoreKind.available
    )
    func filters(kind: StoreKind) async throws {
        try await withServedFixture(kind) { client, fixture in
            let updated = fixture.messages.map(\.updatedAt).sorted()
            let created = fixture.messages.map(\.createdAt).sorted()
            let ids = fixture.messages.map(\.id).sorted()
            let (t1, c1, c2) = (updated[updated.count / 3], created[created.count / 4], created[created.count * 3 / 4])
            let dialog = try #require(fixture.dialogs.first).id
            let tie: Int64 = 1_710_000_000
            let cases: [(AdminListQuery, ListQuery)] = [
                (AdminListQuery([.updatedAt(.greaterThan(seconds(t1)))]), ListQuery(filters: [.updatedAt(.gt, t1)])),
                (
                    AdminListQuery(
                        [.createdAt(.within(seconds(c1)..<seconds(c2)))],
                        sort: ListSort(field: .createdAt, direction: .ascending)),
                    ListQuery(
                        filters: [.createdAt(.gte, c1), .createdAt(.lt, c2)],
                        sort: ListSort(field: .createdAt, direction: .ascending))
                ),
                (
                    AdminListQuery(
                        [.id(.lessThanOrEqual(ids[ids.count / 2]))],
                        sort: ListSort(field: .updatedAt, direction: .descending)),
                    ListQuery(
                        filters: [.id(.lte, ids[ids.count / 2])],
                        sort: ListSort(field: .updatedAt, direction: .descending))
                ),
                (
                    AdminListQuery([.chatDialog(dialog)], sort: ListSort(field: .createdAt, direction: .descending)),
                    ListQuery(chatDialogId: dialog, sort: ListSort(field: .createdAt, direction: .descending))
                ),
                (
                    AdminListQuery(
                        [.chatDialog(dialog), .updatedAt(.within(seconds(tie)...seconds(tie)))],
                        sort: ListSort(field: .updatedAt, direction: .ascending)),
                    ListQuery(
                        filters: [.updatedAt(.gte, tie), .updatedAt(.lte, tie)], chatDialogId: dialog,
                        sort: ListSort(field: .updatedAt, direction: .ascending))
                ),
                (
                    // A date with a fraction: ">= c1 - 0.5 s" is ">= c1" on whole seconds.
                    AdminListQuery([.createdAt(.greaterThanOrEqual(Date(timeIntervalSince1970: Double(c1) - 0.5)))]),
                    ListQuery(filters: [.createdAt(.gte, c1)])
                ),
            ]
            for (query, listQuery) in cases {
                let walked = try await client.messages(query).collect().map(\.id)
                let expected = expectedMessages(fixture, listQuery).map(\.id)
                #expect(walked == expected, "\(query)")
                #expect(!expected.isEmpty, "\(query) matches nothing: the case tests too little")
            }
            let tied = try await client.messages(cases[4].0).collect()
            #expect(tied.count == 30)

            let dialogQuery = AdminListQuery(
                [.updatedAt(.lessThan(seconds(fixture.dialogs[10].updatedAt)))],
                sort: ListSort(field: .updatedAt, direction: .ascending))
            let expectedDialogIds = expectedDialogs(
                fixture,
                ListQuery(
                    filters: [.updatedAt(.lt, fixture.dialogs[10].updatedAt)],
                    sort: ListSort(field: .updatedAt, direction: .ascending))
            ).map(\.id)
            #expect(try await client.dialogs(dialogQuery).collect().map(\.id) == expectedDialogIds)
        }
    }

    @Test(
        "a cancelled walk stops at once and resumes from its position without a gap or a repeat",
        arguments: StoreKind.available)
    func resumeAfterCancellation(kind: StoreKind) async throws {
        let script = RequestScript()
        try await withServedFixture(kind, script: script) { client, fixture in
            let query = AdminListQuery(sort: ListSort(field: .updatedAt, direction: .ascending))
            let walk = Task { () -> (seen: [AdminMessage], position: ListPosition?, requests: Int) in
                var seen = [AdminMessage]()
                var position: ListPosition?
                var requestsAtCancel = 0
                do {
                    for try await message in client.messages(query) {
                        seen.append(message)
                        position = .after(position, id: message.id, key: message.updatedAtSeconds)
                        if seen.count == 100 {
                            requestsAtCancel = await script.requests.count
                            withUnsafeCurrentTask { $0?.cancel() }
                        }
                    }
                    Issue.record("the walk went on after cancellation")
                } catch is CancellationError {
                } catch {
                    Issue.record("a cancelled walk threw \(error)")
                }
                return (seen, position, requestsAtCancel)
            }
            let (seen, position, requestsAtCancel) = await walk.value
            #expect(seen.count == 100)
            #expect(await script.requests.count == requestsAtCancel)

            let rest = try await client.messages(query, after: position).collect()
            let all = (seen + rest).map(\.id)
            let expected = expectedMessages(fixture, ListQuery(sort: query.sort)).map(\.id)
            #expect(all == expected)
            #expect(Set(all).count == fixture.messages.count)
        }
    }

    @Test("cancelled while a page is on its way, the walk ends without waiting for the answer")
    func cancelDuringRequest() async throws {
        let script = RequestScript(holdingRequest: 2)
        try await withServedFixture(.sqlite, script: script) { client, _ in
            let walk = Task { try await client.messages().collect().count }
            await script.waitUntilHeld()
            walk.cancel()
            let result = await walk.result
            #expect(throws: CancellationError.self) { try result.get() }
            await script.release()
        }
    }

    @Test("429 (honouring Retry-After), 503 and 502 are retried; the walk is still exact")
    func retries() async throws {
        let script = RequestScript(failures: [.status(429, retryAfter: "1"), .status(503), .status(502)])
        try await withServedFixture(.sqlite, script: script, pageSize: 100) { client, fixture in
            let started = ContinuousClock.now
            let messages = try await client.messages().collect()
            #expect(ContinuousClock.now - started >= .seconds(1), "Retry-After: 1 was not waited for")
            #expect(messages.map(\.id) == expectedMessages(fixture, ListQuery()).map(\.id))
            let pages = (fixture.messages.count + 99) / 100
            #expect(await script.requests.count == pages + 3)
        }
    }

    @Test("retries are bounded: a server that stays unavailable ends in .unavailable")
    func retriesAreBounded() async throws {
        let script = RequestScript(failures: Array(repeating: .status(503), count: 10))
        try await withServedFixture(.sqlite, script: script) { client, _ in
            let error = await #expect(throws: AdminClientError.self) { try await client.messages().collect() }
            #expect(error?.code == .unavailable)
            #expect(await script.requests.count == quickRetry.maximumAttempts)
        }
    }

    @Test("a refused connection is retried, boundedly, then .unavailable; an unusable URL is not retried")
    func connectionFailures() async throws {
        // Port 1 on loopback: nothing listens there, so every connection is refused.
        let nobody = AdminClient(baseURL: "http://127.0.0.1:1", apiKey: "k", retry: quickRetry)
        let refused = await #expect(throws: AdminClientError.self) { try await nobody.page(AdminDialog.self) }
        #expect(refused?.code == .unavailable)
        #expect(refused?.messages.first?.contains("after \(quickRetry.maximumAttempts) attempts") == true)

        let slowRetry = RetryPolicy(maximumAttempts: 6, initialDelay: .seconds(30), maximumDelay: .seconds(30))
        let unusable = AdminClient(baseURL: "ftp://127.0.0.1", apiKey: "k", retry: slowRetry)
        let started = ContinuousClock.now
        let permanent = await #expect(throws: AdminClientError.self) { try await unusable.page(AdminDialog.self) }
        #expect(permanent?.code == .incompatibleServer)
        #expect(ContinuousClock.now - started < .seconds(30), "an unusable URL was retried")
    }

    @Test("401 and 422 arrive as typed errors with the server's messages; bad queries never leave")
    func typedErrors() async throws {
        let script = RequestScript()
        try await withServedFixture(.sqlite, script: script) { client, _ in
            let wrongKey = AdminClient(baseURL: client.baseURL, apiKey: "not-the-key", retry: quickRetry)
            let unauthorized = await #expect(throws: AdminClientError.self) {
                try await wrongKey.page(AdminDialog.self)
            }
            #expect(unauthorized?.code == .unauthorized)
            #expect(unauthorized?.status == 401)
            #expect(unauthorized?.messages.isEmpty == false)

            // Two lower bounds of one kind on one field: the server refuses the repeat.
            let twice = AdminListQuery([.createdAt(.greaterThan(seconds(1))), .createdAt(.greaterThan(seconds(2)))])
            let refused = await #expect(throws: AdminClientError.self) {
                try await client.page(AdminMessage.self, twice)
            }
            #expect(refused?.code == .invalidQuery)
            #expect(refused?.status == 422)
            #expect(
                refused?.messages.contains { $0.hasPrefix("created_at[gt]: ") } == true, "\(refused?.messages ?? [])")

            let before = await script.requests.count
            let local = await #expect(throws: AdminClientError.self) {
                try await client.page(AdminDialog.self, AdminListQuery([.chatDialog(ObjectId(high: 1, low: 1))]))
            }
            #expect(local?.code == .invalidQuery)
            #expect(await script.requests.count == before)

            let elsewhere = AdminClient(baseURL: client.baseURL + "/not-the-api", apiKey: "k", retry: quickRetry)
            let notFound = await #expect(throws: AdminClientError.self) { try await elsewhere.page(AdminDialog.self) }
            #expect(notFound?.code == .incompatibleServer)
        }
    }

    @Test("a server that allows fewer rows a page than asked for is walked to the end")
    func smallerServerLimit() async throws {
        // The first answer comes from a server whose maximum is 2 rows; Confab answers the rest.
        try await withTemporaryStore(.sqlite) { store in
            let fixture = try await ChatFixture.make(in: store, dialogs: 3, messages: 40)
            let expected = expectedMessages(fixture, ListQuery())
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("total_entries")
            writer.integer(40)
            writer.key("skip")
            writer.integer(0)
            writer.key("limit")
            writer.integer(2)
            writer.key("items")
            writer.beginArray()
            for message in expected.prefix(2) { AdminListJSON.write(message, to: &writer) }
            writer.endArray()
            writer.endObject()
            let firstPage = RequestScript.Failure(status: .ok, body: String(decoding: writer.bytes, as: UTF8.self))
            try await withLiveServer(store: store, script: RequestScript(failures: [firstPage])) { url in
                let client = AdminClient(baseURL: url, apiKey: fixture.credentials.adminAPIKey, retry: quickRetry)
                let walked = try await client.messages().collect().map(\.id)
                #expect(walked == expected.map(\.id))
            }
        }
    }

    @Test("an answer that is not an admin list is .incompatibleServer, not a crash or a retry")
    func incompatibleServer() async throws {
        let page = RequestScript.Failure(status: .ok, body: "<html>Welcome</html>")
        let list = RequestScript.Failure(status: .ok, body: #"{"data":[]}"#)
        let script = RequestScript(failures: [page, list])
        try await withServedFixture(.sqlite, script: script) { client, _ in
            for _ in 0..<2 {
                let error = await #expect(throws: AdminClientError.self) { try await client.page(AdminMessage.self) }
                #expect(error?.code == .incompatibleServer)
            }
            #expect(await script.requests.count == 2)
        }
    }
}

/// What a streaming export handed its batch closure.
private actor ItemsCollected<Item: AdminListItem> {
    var items: [Item] = []
    var positions: [ListPosition?] = []

    func add(_ batch: [Item], _ position: ListPosition?) {
        items += batch
        positions.append(position)
    }
}
