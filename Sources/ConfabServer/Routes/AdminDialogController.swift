import ConfabChat
import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// The administration key's writes to dialogs: `POST /admin/chat` creates any type of dialog,
/// broadcast included, for the owner `user_id`; `PUT /admin/chat/{dialog_id}` mutes a member
/// (`user_id`, `is_muted`) and changes the dialog with the owner's rights.
struct AdminDialogController {
    let chat: ChatService
    let limits: InputLimits

    func addRoutes(to admin: RouterGroup<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("chat") {
            admin.post(path) { request, context in
                let application = try context.requireApplication()
                var reader = ParameterReader(
                    try await RequestParameters.object(from: request, limits: limits), unknownParameters: .adminAPI)
                let ownerId = reader.userId("user_id")
                if !reader.contains("user_id") { reader.fail("user_id", "is required: the owner of the dialog") }
                let input = NewDialog.read(from: &reader)
                rejectUnknown(in: &reader, allowed: NewDialog.keys.union(["user_id"]))
                try reader.check()
                guard let input, let ownerId else { throw ParameterErrors(parameter: "type", message: "is required") }
                let (dialog, created) = try await chat.createDialog(
                    input, ownerId: ownerId, applicationId: application.id, byAdministrationKey: true)
                return Response.json(Self.encode(dialog), status: created ? .created : .ok)
            }
        }
        admin.put("chat/:dialog_id") { request, context in
            let application = try context.requireApplication()
            var reader = ParameterReader(
                try await RequestParameters.object(from: request, limits: limits), unknownParameters: .adminAPI)
            var changes = DialogChanges.read(from: &reader, extraKeys: ["user_id", "is_muted"])
            let userId = reader.userId("user_id")
            let muted = reader.flag("is_muted")
            if reader.contains("is_muted") != reader.contains("user_id") {
                reader.fail("user_id", "and is_muted go together: whose notifications, and muted or not")
            }
            try reader.check()
            if let userId, let muted { changes.mute = (userId, muted) }
            let dialog = try await chat.updateDialog(
                try pathObjectId("dialog_id", of: context), changes, by: .administrationKey,
                applicationId: application.id)
            return Response.json(Self.encode(dialog))
        }
    }

    /// The dialog as the admin list shows it.
    private static func encode(_ dialog: Dialog) -> [UInt8] {
        var writer = JSONWriter(capacity: 768)
        AdminListJSON.write(dialog, to: &writer)
        return writer.bytes
    }
}
