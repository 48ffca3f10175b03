import ConfabChat
import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// The message endpoints of a user session: `/chat/Message`, its `reactions`, and `unread`.
struct MessageController {
    let chat: ChatService
    let limits: InputLimits

    func addRoutes(to group: RouterGroup<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("chat/Message") {
            group.post(path) { request, context in try await create(request, context: context) }
            group.get(path) { request, context in try await list(request, context: context) }
            group.put(path) { request, context in try await update(request, context: context, ids: nil) }
        }
        for path in RoutePaths.withJSONSuffix("chat/Message/unread") {
            group.get(path) { request, context in try await unread(request, context: context) }
        }
        group.put("chat/Message/:message_id") { request, context in
            try await update(request, context: context, ids: try messageIds(context))
        }
        group.delete("chat/Message/:message_id") { request, context in
            let (applicationId, userId) = try context.requireUser()
            var reader = ParameterReader(
                try await RequestParameters.object(from: request, limits: limits), unknownParameters: .chatAPI)
            let force = reader.flag("force") ?? false
            rejectUnknown(in: &reader, allowed: ["force"])
            try reader.check()
            let outcome = try await chat.deleteMessages(
                try messageIds(context), force: force, userId: userId, applicationId: applicationId)
            return Response.json(ChatJSON.deletion(outcome))
        }
        for path in RoutePaths.withJSONSuffix("chat/Message/:message_id/reactions") {
            group.put(path) { request, context in try await react(request, context: context) }
            group.get(path) { _, context in
                let (applicationId, userId) = try context.requireUser()
                let reactions = try await chat.reactions(
                    of: try pathObjectId("message_id", of: context), userId: userId, applicationId: applicationId)
                return Response.json(ChatJSON.reactions(reactions))
            }
        }
    }

    private func react(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = ParameterReader(
            try await RequestParameters.object(from: request, limits: limits), unknownParameters: .chatAPI)
        let add = reader.string("add", maximumBytes: ChatLimits.reactionBytes, allowEmpty: false)
        let remove = reader.string("remove", maximumBytes: ChatLimits.reactionBytes, allowEmpty: false)
        if !reader.contains("add"), !reader.contains("remove") { reader.fail("add", "or remove is required") }
        rejectUnknown(in: &reader, allowed: ["add", "remove"])
        try reader.check()
        try await chat.react(
            to: try pathObjectId("message_id", of: context), add: add, remove: remove, userId: userId,
            applicationId: applicationId)
        return Response(status: .ok)
    }

    private func create(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = ParameterReader(
            try await RequestParameters.object(from: request, limits: limits), unknownParameters: .chatAPI)
        let input = NewMessage.read(from: &reader)
        try reader.check()
        guard let input else { throw ParameterErrors(parameter: "chat_dialog_id", message: "is required") }
        let message = try await chat.createMessage(input, senderId: userId, applicationId: applicationId)
        return Response.json(ChatJSON.message(message, viewerId: userId), status: .created)
    }

    private func list(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        let parameters = try await RequestParameters.collect(from: request, limits: limits)
        var errors = ParameterErrors()
        let dialogText = parameters.first { $0.name == "chat_dialog_id" }?.value
        let dialogId = dialogText.flatMap { ObjectId(hex: $0) }
        if dialogId == nil {
            errors.add("chat_dialog_id", dialogText == nil ? "is required" : ParameterReader.objectIdMessage)
        }
        let markAsRead = flag("mark_as_read", in: parameters, errors: &errors) ?? true
        let preview = flag("preview", in: parameters, errors: &errors) ?? false
        var query = ListQuery()
        do {
            query = try ListQueryParser.parse(
                parameters, grammar: .userMessages, reserved: ["chat_dialog_id", "mark_as_read", "preview"])
        } catch {
            for entry in error.entries { for message in entry.messages { errors.add(entry.parameter, message) } }
        }
        guard errors.isEmpty, let dialogId else { throw errors }
        let page = try await chat.messages(
            in: dialogId, for: userId, query: query, markAsRead: markAsRead, preview: preview,
            applicationId: applicationId)
        return Response.json(
            query.countOnly ? ChatJSON.count(page.totalEntries) : ChatJSON.messages(page, viewerId: userId))
    }

    /// `1`/`true` or `0`/`false` of a list parameter the endpoint reads itself.
    private func flag(_ name: String, in parameters: [FormParameter], errors: inout ParameterErrors) -> Bool? {
        switch parameters.first(where: { $0.name == name })?.value {
        case nil: return nil
        case "1", "true": return true
        case "0", "false": return false
        default:
            errors.add(name, "must be 1 or 0")
            return nil
        }
    }

    private func update(_ request: Request, context: ConfabRequestContext, ids: [ObjectId]?) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var reader = ParameterReader(
            try await RequestParameters.object(from: request, limits: limits), unknownParameters: .chatAPI)
        let changes = MessageChanges.read(from: &reader)
        let dialogId = reader.objectId("chat_dialog_id")
        if ids == nil, dialogId == nil, !reader.contains("chat_dialog_id") {
            reader.fail("chat_dialog_id", "is required without message ids in the path")
        }
        try reader.check()
        let selection: MessageSelection
        if let ids {
            selection = .ids(ids)
        } else if let dialogId {
            selection = .dialog(dialogId)
        } else {
            throw ParameterErrors(parameter: "chat_dialog_id", message: "is required")
        }
        try await chat.updateMessages(selection, changes, userId: userId, applicationId: applicationId)
        return Response(status: .ok)
    }

    private func unread(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let (applicationId, userId) = try context.requireUser()
        var dialogIds: [ObjectId]?
        // Whatever else comes is ignored (`UnknownParameters.chatAPI`): the SDK's docs show `dialogs_ids[]`.
        for parameter in try await RequestParameters.collect(from: request, limits: limits)
        where parameter.name == "chat_dialog_ids" {
            guard dialogIds == nil else {
                throw ParameterErrors(parameter: parameter.name, message: "is given more than once; give it once")
            }
            dialogIds = try idList(parameter.value, parameter: "chat_dialog_ids")
        }
        let counts = try await chat.unreadCounts(of: dialogIds, userId: userId, applicationId: applicationId)
        return Response.json(ChatJSON.unread(counts))
    }

    private func messageIds(_ context: ConfabRequestContext) throws -> [ObjectId] {
        try idList(try RoutePaths.parameter("message_id", of: context), parameter: "message_id")
    }
}
