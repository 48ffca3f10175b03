import ConfabCore
import Testing

@Suite("Queries of a user's dialog and message lists")
struct ChatListQueryParserTests {
    private func parse(_ query: String, _ collection: ChatCollection = .dialogs) throws -> ChatListQuery {
        try ChatListQueryParser.parse(
            FormURLDecoder.decode(Array(query.utf8)), for: collection, reserved: ["chat_dialog_id"])
    }

    @Test("every operator, a bare field for equality, lists for in and nin, sort, paging and count")
    func accepted() throws {
        let id = "65abe4b6ec89025cc16596f9"
        let query = try parse(
            "type=2&created_at[gt]=5&updated_at[lte]=9&last_message_date_sent[ne]=3&_id[in]=\(id),\(id.uppercased())"
                + "&type[nin]=1,4&sort_asc=updated_at&skip=10&limit=500&count=1")
        #expect(query.filters.count == 6)
        #expect(query.filters[0] == ChatListFilter(field: .type, comparison: .eq, values: [.integer(2)]))
        #expect(query.filters[4].values.count == 2)
        #expect(query.filters[5] == ChatListFilter(field: .type, comparison: .nin, values: [.integer(1), .integer(4)]))
        #expect(query.sort == ChatListSort(field: .updatedAt, ascending: true))
        #expect(query.skip == 10)
        #expect(query.limit == 100)
        #expect(query.countOnly)
        let messages = try parse("chat_dialog_id=x&date_sent[gte]=1&sender_id=7&sort_desc=date_sent", .messages)
        #expect(messages.filters.map(\.field) == [.dateSent, .senderId])
    }

    @Test("unknown fields and operators, bad values, two sorts and repeats are refused by name")
    func refused() {
        for (query, name, collection) in [
            ("colour=red", "colour", ChatCollection.dialogs), ("type[like]=2", "type[like]", .dialogs),
            ("created_at[gt]=soon", "created_at[gt]", .dialogs), ("_id=zz", "_id", .dialogs),
            ("sender_id=1", "sender_id", .dialogs), ("type=1", "type", .messages), ("limit=0", "limit", .dialogs),
            ("skip=-1", "skip", .dialogs), ("count=2", "count", .dialogs), ("type=1&type=2", "type", .dialogs),
            ("sort_asc=type&sort_desc=type", "sort_desc", .dialogs), ("sort_asc=name", "sort_asc", .dialogs),
        ] {
            do {
                _ = try parse(query, collection)
                Issue.record("\(query) was accepted")
            } catch let error as ParameterErrors {
                #expect(!error.messages(for: name).isEmpty, "\(query): \(error)")
            } catch {
                Issue.record("\(query): \(error)")
            }
        }
    }
}
