import ConfabCore
import ConfabRequests
import FuzzSupport

/// The list-query parser under each list's grammar, fed what `RequestInput.pairs` reads from a
/// request, as the server does: the admin lists (AdminChatController), `GET /chat/Dialog`
/// (DialogController) and `GET /chat/Message` with the names it reads itself reserved
/// (MessageController). Input: see `FuzzRequest`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let request = FuzzRequest(start, count)
    guard
        let parameters = try? RequestInput.pairs(
            query: request.query.utf8, body: request.body, contentType: request.contentType, limits: request.limits)
    else { return 0 }
    let grammars: [(String, ListGrammar, Set<String>)] = [
        ("admin dialogs", .adminDialogs, []), ("admin messages", .adminMessages, []),
        ("user dialogs", .userDialogs, []), ("user messages", .userMessages, ["chat_dialog_id", "mark_as_read"]),
    ]
    for (name, grammar, reserved) in grammars {
        if let query = try? ListQueryParser.parse(parameters, grammar: grammar, reserved: reserved) {
            check(query, name, grammar, reserved: reserved, parameters: parameters)
        }
    }
    return 0
}

/// Within its bounds and its grammar, and `formParameters` (what the SDK sends for it) reads
/// back as the same query.
func check(
    _ query: ListQuery, _ name: String, _ grammar: ListGrammar, reserved: Set<String>, parameters: [FormParameter]
) {
    invariant((1...ListQuery.maximumLimit).contains(query.limit), "\(name): limit \(query.limit)")
    invariant(query.skip >= 0, "\(name): skip \(query.skip)")
    invariant(
        query.filters.count <= parameters.count, "\(query.filters.count) filters from \(parameters.count) parameters")
    if !grammar.takesDialog { invariant(query.chatDialogId == nil, "\(name): chat_dialog_id") }
    if !grammar.takesCount { invariant(!query.countOnly, "\(name): count") }
    invariant(grammar.sorts.contains(query.sort.field), "\(name): sort by \(query.sort.field)")
    for filter in query.filters {
        invariant(grammar.operators[filter.field]?.contains(filter.comparison) == true, "\(name): \(filter)")
        invariant((1...ListQueryParser.maximumValues).contains(filter.values.count), "\(filter.values.count) values")
        if !filter.comparison.takesList { invariant(filter.values.count == 1, "\(filter.comparison) with a list") }
    }
    let again = outcome { try ListQueryParser.parse(query.formParameters, grammar: grammar, reserved: reserved) }
    invariant(again == .success(query), "\(name): \(query.formParameters) reads back as \(again), not \(query)")
}
