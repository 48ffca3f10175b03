import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// `GET /admin/chat/list` and `GET /admin/chat/messages/list` (each also with `.json`): the
/// reference's admin lists of one application's dialogs and messages.
struct AdminChatController {
    let store: any ChatStore
    let limits: InputLimits

    func addRoutes(to group: RouterGroup<ConfabRequestContext>) {
        for path in ["chat/list", "chat/list.json"] {
            group.get(RouterPath(path)) { request, context in
                try await listDialogs(request: request, context: context)
            }
        }
        for path in ["chat/messages/list", "chat/messages/list.json"] {
            group.get(RouterPath(path)) { request, context in
                try await listMessages(request: request, context: context)
            }
        }
    }

    private func listDialogs(request: Request, context: ConfabRequestContext) async throws -> Response {
        let application = try context.requireApplication()
        let query = try await parseQuery(request, for: .dialogs)
        let page = try await store.dialogs(applicationId: application.id, query: query)
        return Response.json(AdminListJSON.encode(page))
    }

    private func listMessages(request: Request, context: ConfabRequestContext) async throws -> Response {
        let application = try context.requireApplication()
        let query = try await parseQuery(request, for: .messages)
        let page = try await store.messages(applicationId: application.id, query: query)
        return Response.json(AdminListJSON.encode(page))
    }

    private func parseQuery(_ request: Request, for collection: ChatCollection) async throws -> ListQuery {
        let parameters = try await RequestParameters.collect(from: request, limits: limits)
        return try ListQueryParser.parse(parameters, for: collection)
    }
}
