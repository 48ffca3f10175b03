import ConfabCore
import ConfabData
import ConfabStore
import ConfabTestSupport
import Testing

@Suite("Applications in the store")
struct ApplicationStoreTests {
    @Test(
        "an application is found by its admin key and by id, and only by the right key", arguments: StoreKind.available)
    func findsApplicationByAdminKey(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let credentials = ApplicationCredentials.random()
            let created = try await store.createApplication(
                name: "Shop", credentials: credentials, createdAt: 1_700_000_000)
            #expect(created.name == "Shop")
            #expect(created.authKey == credentials.authKey)

            #expect(try await store.application(adminAPIKey: credentials.adminAPIKey) == created)
            #expect(try await store.application(id: created.id) == created)
            #expect(try await store.application(adminAPIKey: credentials.adminAPIKey + "x") == nil)
            #expect(try await store.application(adminAPIKey: String(credentials.adminAPIKey.dropLast())) == nil)
            #expect(try await store.application(adminAPIKey: "") == nil)
            #expect(try await store.application(adminAPIKey: credentials.authSecret) == nil)
            #expect(try await store.application(id: created.id + 1) == nil)
        }
    }

    @Test("applications get distinct ids and list oldest first", arguments: StoreKind.available)
    func listsApplications(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            #expect(try await store.applications().isEmpty)
            let first = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            let second = try await store.createApplication(name: "B", credentials: .random(), createdAt: 2)
            #expect(first.id != second.id)
            #expect(try await store.applications() == [first, second])
        }
    }

    @Test(
        "an application adopted under its source's id takes that id; the next one created gets a new id",
        arguments: StoreKind.available)
    func adoptsApplication(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let first = try await store.createApplication(name: "A", credentials: .random(), createdAt: 1)
            let key = ApplicationCredentials.random().adminAPIKey
            let adopted = try await store.adoptApplication(
                id: first.id + 40, name: "Mirrored", adminAPIKey: key, createdAt: 2)
            #expect(adopted.id == first.id + 40)
            #expect(try await store.application(adminAPIKey: key) == adopted)
            // Adopting again (a resumed mirror) keeps the application, with the key given now.
            let newKey = ApplicationCredentials.random().adminAPIKey
            let again = try await store.adoptApplication(
                id: adopted.id, name: "Mirrored", adminAPIKey: newKey, createdAt: 2)
            #expect(again.id == adopted.id)
            #expect(try await store.application(adminAPIKey: newKey)?.id == adopted.id)
            let next = try await store.createApplication(name: "B", credentials: .random(), createdAt: 3)
            #expect(next.id > adopted.id)
            #expect(try await store.applications().map(\.id) == [first.id, adopted.id, next.id])
        }
    }

    @Test("a taken auth key is a conflict and changes nothing", arguments: StoreKind.available)
    func refusesDuplicateAuthKey(kind: StoreKind) async throws {
        try await withTemporaryStore(kind) { store in
            let credentials = ApplicationCredentials.random()
            let first = try await store.createApplication(name: "A", credentials: credentials, createdAt: 1)
            var clash = ApplicationCredentials.random()
            clash.authKey = credentials.authKey
            await #expect(throws: StoreError.conflict("")) {
                try await store.createApplication(name: "B", credentials: clash, createdAt: 2)
            }
            #expect(try await store.applications() == [first])
            #expect(try await store.application(adminAPIKey: clash.adminAPIKey) == nil)
        }
    }

    @Test("reopening a database keeps its data and does not migrate twice", arguments: StoreKind.available)
    func reopens(kind: StoreKind) async throws {
        try await withTemporaryDatabase(kind) { first, location in
            let app = try await first.createApplication(name: "A", credentials: .random(), createdAt: 1)
            try await first.load(SyntheticChatPlan(applicationId: app.id, dialogs: 4, messages: 20))
            let second = try await location.openStore()
            do {
                #expect(try await second.applications() == [app])
                #expect(try await second.messages(applicationId: app.id, query: ListQuery()).totalEntries == 20)
            } catch {
                try? await second.close()
                throw error
            }
            try await second.close()
        }
    }
}
