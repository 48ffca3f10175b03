import Testing

@testable import ConfabCore

@Suite("Keyset continuation of list queries")
struct ListPositionTests {
    static let low = ObjectId(hex: "620e2b1463ee2a1977b4ee65")!
    static let high = ObjectId(hex: "63834bbecf1efb102da40f2c")!

    @Test("an _id walk continues after the last id, replacing the query's own bound that way")
    func idWalk() {
        let query = ListQuery(filters: [.id(.lt, Self.high), .id(.gt, Self.low), .createdAt(.gte, 5)], skip: 3)
        let next = query.continuing(after: ListPosition(lastId: Self.low))
        #expect(next.filters == [.id(.gt, Self.low), .createdAt(.gte, 5), .id(.lt, Self.low)])
        #expect(next.skip == 0)
        var ascending = query
        ascending.sort = ListSort(field: .id, direction: .ascending)
        #expect(
            ascending.continuing(after: ListPosition(lastId: Self.high)).filters
                == [.id(.lt, Self.high), .createdAt(.gte, 5), .id(.gt, Self.high)])
    }

    @Test("a time walk starts at the last key and skips the rows of that key already passed")
    func timeWalk() {
        var position: ListPosition?
        for (id, key) in [(Self.low, Int64(10)), (Self.high, 12), (Self.low, 12), (Self.high, 12)] {
            position = .after(position, id: id, key: key)
        }
        #expect(position == ListPosition(lastId: Self.high, lastKey: 12, rowsAtKey: 3))
        let query = ListQuery(
            filters: [.updatedAt(.gt, 4), .updatedAt(.lt, 99)], sort: ListSort(field: .updatedAt, direction: .ascending)
        )
        let next = query.continuing(after: position)
        #expect(next.filters == [.updatedAt(.lt, 99), .updatedAt(.gte, 12)])
        #expect(next.skip == 3)
        let descending = ListQuery(
            filters: [.createdAt(.lte, 50)], sort: ListSort(field: .createdAt, direction: .descending))
        #expect(descending.continuing(after: position).filters == [.createdAt(.lte, 12)])
        #expect(query.continuing(after: nil) == query)
    }

    @Test("a query's form parameters parse back to the same query", arguments: [ChatCollection.dialogs, .messages])
    func formParametersRoundTrip(collection: ChatCollection) throws {
        let queries = [
            ListQuery(),
            ListQuery(
                filters: [.id(.gte, Self.low), .updatedAt(.lt, -5)],
                sort: ListSort(field: .updatedAt, direction: .ascending), limit: 7, skip: 30),
            ListQuery(
                filters: [.createdAt(.gt, 1), .createdAt(.lte, 2)],
                chatDialogId: collection == .messages ? Self.high : nil,
                sort: ListSort(field: .createdAt, direction: .descending), limit: 100),
        ]
        for query in queries {
            #expect(try ListQueryParser.parse(query.formParameters, for: collection) == query)
        }
    }
}
