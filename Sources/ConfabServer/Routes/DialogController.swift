import ConfabChat
import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// The dialog endpoints of a user session: `/chat/Dialog`, its `admins`, `notifications`,
/// `occupants` and `subscribe` sub-resources, and `clearHistory`.
struct DialogController {
    let chat: ChatService
    let limits: InputLimits

    func addRoutes(to group: RouterGroup<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("chat/Dialog") {
            group.post(path) { request, context in try await create(request, context: context) }
            group.get(path) { request, context in try await list(request, context: context) }
        }
        // `/chat/Dialog/{id}.json`: the id parameter drops the suffix (`RoutePaths.parameter`).
        group.put("chat/Dialog/:dialog_id") { request, context in try await update(request, context: context) }
        group.delete("chat/Dialog/:dialog_id") { request, context in try await delete(request, context: context) }
        for path in RoutePaths.withJSONSuffix("chat/Dialog/:dialog_id/admins") {
            group.put(path) { request, context in try await updateAdmins(request, context: context) }
        }
        for path in RoutePaths.withJSONSuffix("chat/Dialog/:dialog_id/notifications") {
            group.put(path) { request, context in try await setNotifications(request, context: context) }
            group.get(path) { _, context in try await notifications(context: context) }
        }
        for path in RoutePaths.withJSONSuffix("chat/Dialog/:dialog_id/occupants") {
            group.get(path) { request, context in try await occupants(request, context: context) }
        }
        group.delete("chat/Dialog/clearHistory/:dialog_id") { request, context in
            try await clearHistory(request, context: context)
        }
        for path in RoutePaths.withJSONSuffix("chat/Dialog/:dialog_id/subscribe") {
            for (method, joining) in [(HTTPRequest.Method.post, true), (.delete, false)] {
                group.on(path, method: method) { _, context in
                    try await subscribe(joining, context: context)
                }
            }
        }
    }

    /// `{"items":[users]}`, `limit` (1 up, at most 100 answered) from `skip`, as ConnectyCube pages it.
    private func occupants(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = try await reader(request)
        let limit = reader.integer("limit", in: 1...Int64(Int32.max)).map {
            Int(min($0, Int64(ListQuery.maximumLimit)))
        }
        let skip = reader.integer("skip", in: 0...Int64(Int32.max)).map(Int.init)
        try reader.check()
        let users = try await chat.occupants(
            of: try pathObjectId("dialog_id", of: context), for: userId, skip: skip ?? 0,
            limit: limit ?? ListQuery.maximumLimit, applicationId: applicationId)
        return Response.json(ChatJSON.users(users))
    }

    /// Empty 200, as ConnectyCube answers (the SDK reads it as text).
    private func clearHistory(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = try await reader(request)
        let force = reader.flag("force") ?? false
        rejectUnknown(in: &reader, allowed: ["force"])
        try reader.check()
        try await chat.clearHistory(
            of: try pathObjectId("dialog_id", of: context), force: force, userId: userId, applicationId: applicationId)
        return Response(status: .ok)
    }

    private func notifications(context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        let enabled = try await chat.notifications(
            try pathObjectId("dialog_id", of: context), for: userId, applicationId: applicationId)
        return Response.json(ChatJSON.notifications(enabled: enabled))
    }

    private func subscribe(_ joining: Bool, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        let dialog = try await chat.subscribe(
            try pathObjectId("dialog_id", of: context), joining, userId: userId, applicationId: applicationId)
        return try await respond(with: dialog, for: userId, applicationId: applicationId)
    }

    private func update(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = try await reader(request)
        let changes = DialogChanges.read(from: &reader)
        try reader.check()
        let dialog = try await chat.updateDialog(
            try pathObjectId("dialog_id", of: context), changes, by: .user(userId), applicationId: applicationId)
        return try await respond(with: dialog, for: userId, applicationId: applicationId)
    }

    private func updateAdmins(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = try await reader(request)
        let changes = AdminChanges.read(from: &reader)
        try reader.check()
        let dialog = try await chat.updateAdmins(
            try pathObjectId("dialog_id", of: context), changes, by: .user(userId), applicationId: applicationId)
        return try await respond(with: dialog, for: userId, applicationId: applicationId)
    }

    private func delete(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        let ids = try idList(try RoutePaths.parameter("dialog_id", of: context), parameter: "dialog_id")
        var reader = try await reader(request)
        let force = reader.flag("force") ?? false
        rejectUnknown(in: &reader, allowed: ["force"])
        try reader.check()
        let outcome = try await chat.deleteDialogs(ids, force: force, userId: userId, applicationId: applicationId)
        return Response.json(ChatJSON.deletion(outcome))
    }

    private func setNotifications(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = try await reader(request)
        let enabled = reader.flag("enabled")
        if enabled == nil, reader.errors.isEmpty { reader.fail("enabled", "is required: 1 or 0") }
        rejectUnknown(in: &reader, allowed: ["enabled"])
        try reader.check()
        let isEnabled = try await chat.setNotifications(
            try pathObjectId("dialog_id", of: context), enabled: enabled ?? true, for: userId,
            applicationId: applicationId)
        return Response.json(ChatJSON.notifications(enabled: isEnabled))
    }

    /// The dialog as its user sees it.
    private func respond(with dialog: Dialog, for userId: Int, applicationId: Int) async throws -> Response {
        Response.json(ChatJSON.dialog(try await chat.view(of: dialog, for: userId, applicationId: applicationId)))
    }

    private func create(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = try await reader(request)
        let input = NewDialog.read(from: &reader)
        rejectUnknown(in: &reader, allowed: NewDialog.keys)
        try reader.check()
        guard let input else { throw ParameterErrors(parameter: "type", message: "is required") }
        let (dialog, created) = try await chat.createDialog(
            input, ownerId: userId, applicationId: applicationId, byAdministrationKey: false)
        let view = try await chat.view(of: dialog, for: userId, applicationId: applicationId)
        return Response.json(ChatJSON.dialog(view), status: created ? .created : .ok)
    }

    private func list(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        let parameters = try await RequestParameters.collect(from: request, limits: limits)
        let query = try ListQueryParser.parse(parameters, grammar: .userDialogs)
        let page = try await chat.dialogs(of: userId, applicationId: applicationId, query: query)
        return Response.json(query.countOnly ? ChatJSON.count(page.totalEntries) : ChatJSON.dialogs(page))
    }

    private func reader(_ request: Request) async throws -> ParameterReader {
        ParameterReader(
            try await RequestParameters.object(from: request, limits: limits), unknownParameters: .chatAPI)
    }

}

/// The ObjectId in the path parameter `name`, or a 422 naming it.
func pathObjectId(_ name: String, of context: ConfabRequestContext) throws -> ObjectId {
    guard let id = ObjectId(hex: try RoutePaths.parameter(name, of: context)) else {
        throw ParameterErrors(parameter: name, message: ParameterReader.objectIdMessage)
    }
    return id
}

/// `a,b,c` (or `a, b, c`, as the SDKs join them): up to `ChatLimits.idsPerRequest` ObjectIds,
/// or a 422 naming `parameter`.
func idList(_ text: String, parameter: String) throws -> [ObjectId] {
    var ids = [ObjectId]()
    for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
        guard let id = ObjectId(hex: piece.trimmingSpaces) else {
            throw ParameterErrors(parameter: parameter, message: "must be ObjectIds separated by commas")
        }
        if !ids.contains(id) { ids.append(id) }
    }
    guard !ids.isEmpty, ids.count <= ChatLimits.idsPerRequest else {
        throw ParameterErrors(parameter: parameter, message: "must name 1 to \(ChatLimits.idsPerRequest) ids")
    }
    return ids
}
