import ConfabCore
import ConfabTestSupport
import HTTPTypes
import Testing

/// Every kind of bad input to the chat REST API: a 4xx that names the parameter (or the
/// resource), never a 500, and the admin lists unchanged.
@Suite("Bad input to the chat REST API")
struct ChatBadInputTests {
    struct Case: Sendable {
        let method: HTTPRequest.Method
        let path: String
        var json: String? = nil
        var form: String? = nil
        var contentType: String? = nil
        let status: HTTPResponse.Status
        /// The parameter a 422 names, or nil for other statuses.
        var parameter: String? = nil
    }

    @Test("each bad request is a 4xx naming what is wrong and changes nothing", arguments: StoreKind.available)
    func badRequests(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let s = try await ChatPermissionTests.scene(api)
            let g = s.groupId
            let m = s.aliceMessage
            let unknownId = "0123456789abcdef01234567"
            let tooLong = String(repeating: "a", count: 65_537)
            let cases: [Case] = [
                Case(method: .post, path: "/chat/Dialog", json: "{}", status: .unprocessableContent, parameter: "type"),
                Case(
                    method: .post, path: "/chat/Dialog", json: #"{"type":9}"#, status: .unprocessableContent,
                    parameter: "type"),
                Case(
                    method: .post, path: "/chat/Dialog", json: #"{"type":"group"}"#, status: .unprocessableContent,
                    parameter: "type"),
                Case(
                    method: .post, path: "/chat/Dialog", json: #"{"type":2,"occupants_ids":[\#(s.bob.id)]}"#,
                    status: .unprocessableContent, parameter: "name"),
                Case(
                    method: .post, path: "/chat/Dialog", json: #"{"type":2,"name":"x","occupants_ids":"abc"}"#,
                    status: .unprocessableContent, parameter: "occupants_ids"),
                Case(
                    method: .post, path: "/chat/Dialog", json: #"{"type":2,"name":"x","occupants_ids":[999999999]}"#,
                    status: .unprocessableContent, parameter: "occupants_ids"),
                Case(
                    method: .post, path: "/chat/Dialog", json: #"{"type":2,"name":"x"}"#, status: .unprocessableContent,
                    parameter: "occupants_ids"),
                Case(
                    method: .post, path: "/chat/Dialog",
                    json: #"{"type":3,"occupants_ids":[\#(s.bob.id),\#(s.carol.id)]}"#, status: .unprocessableContent,
                    parameter: "occupants_ids"),
                Case(
                    method: .post, path: "/chat/Dialog",
                    json: #"{"type":2,"name":"x","occupants_ids":[\#(s.bob.id)],"admins_ids":[\#(s.dave.id)]}"#,
                    status: .unprocessableContent, parameter: "admins_ids"),
                Case(
                    method: .post, path: "/chat/Dialog", json: #"{"type":4,"name":"x\u0000y"}"#,
                    status: .unprocessableContent, parameter: "name"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"message":"x"}"#, status: .unprocessableContent,
                    parameter: "chat_dialog_id"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"chat_dialog_id":"nothex","message":"x"}"#,
                    status: .unprocessableContent, parameter: "chat_dialog_id"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"chat_dialog_id":"\#(unknownId)","message":"x"}"#,
                    status: .notFound),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"chat_dialog_id":"\#(g)"}"#,
                    status: .unprocessableContent, parameter: "message"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"chat_dialog_id":"\#(g)","message":"\#(tooLong)"}"#,
                    status: .unprocessableContent, parameter: "message"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"chat_dialog_id":"\#(g)","message":"a\u0000b"}"#,
                    status: .unprocessableContent, parameter: "message"),
                Case(
                    method: .post, path: "/chat/Message",
                    json: #"{"chat_dialog_id":"\#(g)","message":"x","sender_id":5}"#, status: .unprocessableContent,
                    parameter: "sender_id"),
                Case(
                    method: .post, path: "/chat/Message",
                    json: #"{"chat_dialog_id":"\#(g)","message":"x","read_ids":[5]}"#, status: .unprocessableContent,
                    parameter: "read_ids"),
                Case(
                    method: .post, path: "/chat/Message",
                    json: #"{"chat_dialog_id":"\#(g)","message":"x","attachments":"img"}"#,
                    status: .unprocessableContent, parameter: "attachments"),
                Case(
                    method: .post, path: "/chat/Message",
                    json: #"{"chat_dialog_id":"\#(g)","message":"x","attachments":[1]}"#, status: .unprocessableContent,
                    parameter: "attachments"),
                Case(
                    method: .post, path: "/chat/Message",
                    json: #"{"chat_dialog_id":"\#(g)","message":"x","date_sent":"yesterday"}"#,
                    status: .unprocessableContent, parameter: "date_sent"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"recipient_id":\#(s.alice.id),"message":"me"}"#,
                    status: .unprocessableContent, parameter: "recipient_id"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"recipient_id":999999999,"message":"x"}"#,
                    status: .unprocessableContent, parameter: "recipient_id"),
                Case(
                    method: .post, path: "/chat/Message", json: #"{"recipient_id":"bob","message":"x"}"#,
                    status: .unprocessableContent, parameter: "recipient_id"),
                Case(
                    method: .post, path: "/chat/Message", json: "[1,2]", status: .unprocessableContent,
                    parameter: "body"),
                Case(
                    method: .post, path: "/chat/Message", json: "{not json", status: .unprocessableContent,
                    parameter: "body"),
                Case(
                    method: .post, path: "/chat/Message", form: "chat_dialog_id=\(g)&message=a&message=b",
                    status: .unprocessableContent, parameter: "message"),
                Case(
                    method: .post, path: "/chat/Message", form: "hello", contentType: "text/plain",
                    status: .unsupportedMediaType),
                Case(method: .get, path: "/chat/Message", status: .unprocessableContent, parameter: "chat_dialog_id"),
                Case(
                    method: .get, path: "/chat/Message?chat_dialog_id=\(g)&limit=0", status: .unprocessableContent,
                    parameter: "limit"),
                Case(
                    method: .get, path: "/chat/Message?chat_dialog_id=\(g)&mark_as_read=maybe",
                    status: .unprocessableContent, parameter: "mark_as_read"),
                Case(method: .get, path: "/chat/Message?chat_dialog_id=\(unknownId)", status: .notFound),
                Case(
                    method: .get, path: "/chat/Dialog?created_at%5Bgt%5D=soon", status: .unprocessableContent,
                    parameter: "created_at[gt]"),
                Case(
                    method: .put, path: "/chat/Message/nothex", json: #"{"read":1}"#, status: .unprocessableContent,
                    parameter: "message_id"),
                Case(
                    method: .put, path: "/chat/Message/\(m)", json: "{}", status: .unprocessableContent,
                    parameter: "read"),
                Case(
                    method: .put, path: "/chat/Message/\(m)", json: #"{"read":0}"#, status: .unprocessableContent,
                    parameter: "read"),
                Case(
                    method: .put, path: "/chat/Message/\(m)", json: #"{"message":""}"#, status: .unprocessableContent,
                    parameter: "message"),
                Case(method: .put, path: "/chat/Message/\(m),\(unknownId)", json: #"{"read":1}"#, status: .notFound),
                Case(
                    method: .put, path: "/chat/Message", json: #"{"read":1}"#, status: .unprocessableContent,
                    parameter: "chat_dialog_id"),
                Case(method: .delete, path: "/chat/Dialog/xyz", status: .unprocessableContent, parameter: "dialog_id"),
                Case(
                    method: .delete, path: "/chat/Message/\(m)?force=yes", status: .unprocessableContent,
                    parameter: "force"),
                Case(
                    method: .put, path: "/chat/Dialog/\(g)/notifications", json: "{}", status: .unprocessableContent,
                    parameter: "enabled"),
                Case(
                    method: .put, path: "/chat/Dialog/\(g)", json: #"{"push_all":{"occupants_ids":[999999999]}}"#,
                    status: .unprocessableContent, parameter: "push_all[occupants_ids]"),
                Case(
                    method: .put, path: "/chat/Dialog/\(g)",
                    json: #"{"push_all":{"pinned_messages_ids":["\#(unknownId)"]}}"#, status: .unprocessableContent,
                    parameter: "push_all[pinned_messages_ids]"),
                Case(
                    method: .put, path: "/chat/Dialog/\(g)/admins", json: #"{"push_all":{"admins_ids":[1,2,3,4,5,6]}}"#,
                    status: .unprocessableContent, parameter: "push_all[admins_ids]"),
                Case(
                    method: .put, path: "/chat/Message/\(m)/reactions", json: "{}", status: .unprocessableContent,
                    parameter: "add"),
                Case(
                    method: .put, path: "/chat/Message/\(m)/reactions",
                    json: #"{"add":"\#(String(repeating: "x", count: 65))"}"#, status: .unprocessableContent,
                    parameter: "add"),
                Case(
                    method: .get, path: "/chat/Message/unread?chat_dialog_ids=nothex", status: .unprocessableContent,
                    parameter: "chat_dialog_ids"),
                Case(method: .get, path: "/chat/Message/unread?chat_dialog_ids=\(unknownId)", status: .notFound),
            ]
            let before = try await api.adminSnapshot()
            for item in cases {
                var response = try await api.send(
                    item.method, item.path, token: s.alice.token, json: item.json, form: item.form)
                if let contentType = item.contentType {
                    var headers = HTTPFields()
                    headers[HTTPField.Name("CB-Token")!] = s.alice.token
                    headers[.contentType] = contentType
                    response = APIResponse(
                        try await api.client.execute(
                            uri: item.path, method: item.method, headers: headers, body: .init(string: item.form ?? ""))
                    )
                }
                let label = "\(item.method) \(item.path.prefix(120)) \(item.json?.prefix(120) ?? "")"
                #expect(response.status == item.status, "\(label): \(response.text.prefix(300))")
                if let parameter = item.parameter {
                    #expect(!response.errors(for: parameter).isEmpty, "\(label): \(response.text.prefix(300))")
                }
            }
            #expect(try await api.adminSnapshot() == before)

            // A body past the 1 MiB limit is a 413, and the server answers the next request.
            let huge = try await api.send(
                .post, "/chat/Message", token: s.alice.token, json: String(repeating: " ", count: (1 << 20) + 1))
            #expect(huge.status == .contentTooLarge)
            let fine = try await api.send(.get, "/chat/Dialog", token: s.alice.token)
            #expect(fine.status == .ok)
        }
    }
}
