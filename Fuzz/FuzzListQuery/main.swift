import ConfabCore
import FuzzSupport

/// Both list-query parsers, fed what `RequestInput.pairs` reads from a request, as the server
/// does: `ListQueryParser` for `GET /admin/chat/list` and `/admin/chat/messages/list`
/// (AdminChatController), `ChatListQueryParser` for `GET /chat/Dialog` (DialogController) and
/// `GET /chat/Message` with the names it reads itself reserved (MessageController).
/// Input: see `FuzzRequest`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let request = FuzzRequest(start, count)
    guard
        let parameters = try? RequestInput.pairs(
            query: request.query.utf8, body: request.body, contentType: request.contentType, limits: request.limits)
    else { return 0 }

    for collection in [ChatCollection.dialogs, .messages] {
        if let query = try? ListQueryParser.parse(parameters, for: collection) {
            checkAdmin(query, collection: collection, parameters: parameters)
        }
    }
    if let query = try? ChatListQueryParser.parse(parameters, for: .dialogs) {
        checkChat(query, collection: .dialogs, reserved: [], parameters: parameters)
    }
    let reserved: Set<String> = ["chat_dialog_id", "mark_as_read"]
    if let query = try? ChatListQueryParser.parse(parameters, for: .messages, reserved: reserved) {
        checkChat(query, collection: .messages, reserved: reserved, parameters: parameters)
    }
    return 0
}

/// Within its bounds, and `formParameters` (what the SDK sends for it) reads back as the same query.
func checkAdmin(_ query: ListQuery, collection: ChatCollection, parameters: [FormParameter]) {
    invariant((1...ListQuery.maximumLimit).contains(query.limit), "admin limit \(query.limit)")
    invariant(query.skip >= 0, "admin skip \(query.skip)")
    invariant(
        query.filters.count <= parameters.count, "\(query.filters.count) filters from \(parameters.count) parameters")
    if collection == .dialogs { invariant(query.chatDialogId == nil, "a dialog list with chat_dialog_id") }
    let again = outcome { try ListQueryParser.parse(query.formParameters, for: collection) }
    invariant(again == .success(query), "\(collection): \(query.formParameters) reads back as \(again), not \(query)")
}

/// Within its bounds, and the parameters that ask for it read back as the same query.
func checkChat(_ query: ChatListQuery, collection: ChatCollection, reserved: Set<String>, parameters: [FormParameter]) {
    let fields = ChatListField.fields(of: collection)
    invariant((1...ListQuery.maximumLimit).contains(query.limit), "chat limit \(query.limit)")
    invariant(query.skip >= 0, "chat skip \(query.skip)")
    invariant(
        query.filters.count <= parameters.count, "\(query.filters.count) filters from \(parameters.count) parameters")
    for filter in query.filters {
        invariant(fields.contains(filter.field), "\(collection): filter on \(filter.field)")
        invariant((1...1_000).contains(filter.values.count), "\(filter.values.count) values")
        if filter.comparison != .in, filter.comparison != .nin {
            invariant(filter.values.count == 1, "\(filter.comparison) with \(filter.values.count) values")
        }
        for value in filter.values {
            switch value {
            case .objectId: invariant(filter.field == .id, "an ObjectId for \(filter.field)")
            case .integer: invariant(filter.field != .id, "an integer for _id")
            }
        }
    }
    if let sort = query.sort { invariant(fields.contains(sort.field), "\(collection): sort by \(sort.field)") }
    let asked = parametersAsking(for: query)
    let again = outcome { try ChatListQueryParser.parse(asked, for: collection, reserved: reserved) }
    invariant(again == .success(query), "\(collection): \(asked) reads back as \(again), not \(query)")
}

/// `field=value`, `field[op]=a,b`, the sort, paging and `count=1`, as a client would write them.
func parametersAsking(for query: ChatListQuery) -> [FormParameter] {
    var parameters = [FormParameter]()
    for filter in query.filters {
        let name =
            filter.comparison == .eq ? filter.field.rawValue : "\(filter.field.rawValue)[\(filter.comparison.rawValue)]"
        let values = filter.values.map { value in
            switch value {
            case .integer(let integer): String(integer)
            case .objectId(let id): id.hex
            }
        }
        parameters.append(FormParameter(name: name, value: values.joined(separator: ",")))
    }
    if let sort = query.sort {
        parameters.append(FormParameter(name: sort.ascending ? "sort_asc" : "sort_desc", value: sort.field.rawValue))
    }
    parameters.append(FormParameter(name: "limit", value: String(query.limit)))
    if query.skip > 0 { parameters.append(FormParameter(name: "skip", value: String(query.skip))) }
    if query.countOnly { parameters.append(FormParameter(name: "count", value: "1")) }
    return parameters
}
