import ConfabCore
import Testing

/// The same parser under the user lists' grammars: `count`, their own sorts and default orders,
/// and the names the endpoint reads itself left alone.
@Suite("Queries of a user's dialog and message lists")
struct UserListQueryParserTests {
    private func parse(_ query: String, _ grammar: ListGrammar = .userDialogs) throws -> ListQuery {
        try ListQueryParser.parse(Self.pairs(query), grammar: grammar, reserved: ["chat_dialog_id"])
    }

    /// `a=1&b=2` as parameters; the queries here need no percent-decoding.
    private static func pairs(_ query: String) -> [FormParameter] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return FormParameter(name: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
        }
    }

    @Test("every operator, a bare field for equality, lists for in and nin, sort, paging and count")
    func accepted() throws {
        let id = "65abe4b6ec89025cc16596f9"
        let query = try parse(
            "type=2&created_at[gt]=5&updated_at[lte]=9&last_message_date_sent[ne]=3&_id[in]=\(id),\(id.uppercased())"
                + "&type[nin]=1,4&sort_asc=updated_at&skip=10&limit=500&count=1")
        #expect(query.filters.count == 6)
        #expect(query.filters[0] == ListFilter(.type, .eq, [.integer(2)]))
        #expect(query.filters[4].values.count == 2)
        #expect(query.filters[5] == ListFilter(.type, .nin, [.integer(1), .integer(4)]))
        #expect(query.sort == ListSort(field: .updatedAt, direction: .ascending))
        #expect(query.skip == 10)
        #expect(query.limit == 100)
        #expect(query.countOnly)
        let messages = try parse("chat_dialog_id=x&date_sent[gte]=1&sender_id=7&sort_desc=date_sent", .userMessages)
        #expect(messages.filters.map(\.field) == [.dateSent, .senderId])
        #expect(messages.chatDialogId == nil)
    }

    @Test("the default orders: dialogs by their newest message, messages oldest first")
    func defaultOrders() throws {
        #expect(try parse("").sort == ListSort(field: .lastMessageDateSent, direction: .descending))
        #expect(try parse("", .userMessages).sort == ListSort(field: .dateSent, direction: .ascending))
        #expect(try parse("count=0").countOnly == false)
    }

    @Test("unknown parameters, fields and operators are ignored on the user lists and refused on the admin lists")
    func unknownIgnored() throws {
        for (query, grammar) in [
            ("colour=red", ListGrammar.userDialogs), ("type[like]=2", .userDialogs), ("sender_id=1", .userDialogs),
            ("type=1", .userMessages), ("dialogs_ids[]=a&dialogs_ids[]=b", .userDialogs),
        ] {
            #expect(try parse(query, grammar) == ListQuery(sort: grammar.defaultSort), "\(query)")
        }
        #expect(try parse("colour=red&type=2").filters == [ListFilter(.type, .eq, [.integer(2)])])
        for (query, name) in [("colour=red", "colour"), ("type[like]=2", "type[like]"), ("count=1", "count")] {
            do {
                _ = try parse(query, .adminDialogs)
                Issue.record("\(query) was accepted by an admin list")
            } catch let error as ParameterErrors {
                #expect(!error.messages(for: name).isEmpty, "\(query): \(error)")
            }
        }
        // Ids and numbers in a list may have spaces after the commas, as the SDKs join them.
        let id = "65abe4b6ec89025cc16596f9"
        #expect(try parse("_id[in]=\(id), \(id.uppercased())&type[nin]=1, 4").filters.map(\.values.count) == [2, 2])
    }

    @Test("bad values, two sorts and repeats are refused by name")
    func refused() {
        for (query, name, grammar) in [
            ("created_at[gt]=soon", "created_at[gt]", ListGrammar.userDialogs), ("_id=zz", "_id", .userDialogs),
            ("_id[in]=zz, yy", "_id[in]", .userDialogs), ("limit=0", "limit", .userDialogs),
            ("skip=-1", "skip", .userDialogs), ("count=2", "count", .userDialogs),
            ("type=1&type=2", "type", .userDialogs), ("sort_asc=type&sort_desc=type", "sort_desc", .userDialogs),
            ("sort_asc=name", "sort_asc", .userDialogs), ("skip=1&offset=2", "offset", .userDialogs),
        ] {
            do {
                _ = try parse(query, grammar)
                Issue.record("\(query) was accepted")
            } catch let error as ParameterErrors {
                #expect(!error.messages(for: name).isEmpty, "\(query): \(error)")
            } catch {
                Issue.record("\(query): \(error)")
            }
        }
    }
}
