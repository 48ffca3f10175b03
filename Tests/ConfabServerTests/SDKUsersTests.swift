import ConfabCore
import ConfabTestSupport
import HTTPTypes
import Testing

/// The users API as ConnectyCube's SDK calls it: sign-up with every profile field, a user's own
/// update and delete, and the lookups by login, email and external id.
@Suite("ConnectyCube's users API")
struct SDKUsersTests {
    @Test(
        "the users API: every profile field, one's own update and delete, and the lookups",
        arguments: StoreKind.available)
    func users(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let appToken = try await api.openSession()
            // As the SDK's signup sends it: every field in `user`, tag_list as an array.
            let signUp = try await api.send(
                .post, "/users.json", token: appToken,
                json: #"""
                    {"user":{"login":"carol","password":"carol-secret","email":"carol@example.com","full_name":"Carol",
                    "website":"https://carol.example","tag_list":["vip","beta"],"external_user_id":52691165,
                    "custom_data":"{\"x\":1}","avatar":"https://carol.example/a.png","timezone":180,"facebook_id":"9123"}}
                    """#)
            #expect(signUp.status == .created, "\(signUp.text)")
            let user = try #require(signUp.object?["user"]?.objectValue)
            let id = try #require(user.integer("id"))
            #expect(user.string("website") == "https://carol.example")
            #expect(user.string("user_tags") == "vip,beta")
            #expect(user.integer("external_user_id") == 52_691_165)
            #expect(user.string("custom_data") == #"{"x":1}"#)
            #expect(user.string("avatar") == "https://carol.example/a.png")
            #expect(user.integer("timezone") == 180)
            #expect(user.string("facebook_id") == "9123")
            #expect(user["last_request_at"] == .null)

            for path in [
                "/users/by_login.json?login=carol", "/users/by_email?email=carol@example.com",
                "/users/external/52691165.json", "/users/\(id).json",
            ] {
                let found = try await api.send(.get, path, token: appToken)
                #expect(found.object?["user"]?.objectValue?.integer("id") == id, "\(path): \(found.text)")
            }
            #expect(try await api.send(.get, "/users/by_login?login=nobody", token: appToken).status == .notFound)
        }
    }

    @Test("a user changes and deletes their own account, and only theirs", arguments: StoreKind.available)
    func ownAccount(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let appToken = try await api.openSession()
            let signedUp = try await api.signUp("carol", password: "carol-secret")
            let id = Int64(signedUp.id)
            let carol = signedUp.token
            let dave = try await api.signUp("dave")
            let changed = try await api.send(
                .put, "/users/\(id).json", token: carol,
                json: #"{"user":{"full_name":"Carol B","tag_list":"vip, gold","website":""}}"#)
            #expect(changed.object?["user"]?.objectValue?.string("full_name") == "Carol B", "\(changed.text)")
            #expect(changed.object?["user"]?.objectValue?.string("user_tags") == "vip,gold")
            #expect(changed.object?["user"]?.objectValue?["website"] == .null)
            let taken = try await api.send(
                .put, "/users/\(dave.id)", token: dave.token, json: #"{"user":{"login":"carol"}}"#)
            #expect(taken.errors(for: "user[login]") == ["has already been taken"])
            let other = try await api.send(
                .put, "/users/\(dave.id)", token: carol, json: #"{"user":{"full_name":"x"}}"#)
            #expect(other.status == .forbidden)
            let noOld = try await api.send(
                .put, "/users/\(id)", token: carol, json: #"{"user":{"password":"new-secret-1"}}"#)
            #expect(noOld.errors(for: "user[old_password]") == ["is required with a new password"])
            let wrongOld = try await api.send(
                .put, "/users/\(id)", token: carol,
                json: #"{"user":{"password":"new-secret-1","old_password":"nope-nope"}}"#)
            #expect(wrongOld.errors(for: "user[old_password]") == ["is not the current password"])
            let newPassword = try await api.send(
                .put, "/users/\(id)", token: carol,
                json: #"{"user":{"password":"new-secret-1","old_password":"carol-secret"}}"#)
            #expect(newPassword.status == .ok)
            _ = try await api.openSession(login: "carol", password: "new-secret-1")

            #expect(try await api.send(.delete, "/users/\(dave.id)", token: carol).status == .forbidden)
            let deleted = try await api.send(.delete, "/users/\(id).json", token: carol)
            #expect(deleted.status == .ok)
            #expect(deleted.bytes.isEmpty)
            #expect(try await api.send(.get, "/session", token: carol).status == .unauthorized)
            #expect(try await api.send(.get, "/users/\(id)", token: appToken).status == .notFound)
        }
    }

    @Test("GET /users/v2 and GET /users (v1) search an application's users", arguments: StoreKind.available)
    func searches(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            _ = try await api.signUp("carol")
            let token = try await api.openSession()
            func ids(_ path: String, wrapped: Bool = false) async throws -> [Int64] {
                let response = try await api.send(.get, path, token: token)
                #expect(response.status == .ok, "\(path): \(response.text)")
                let items = response.object?["items"]?.arrayValue?.compactMap(\.objectValue) ?? []
                return items.compactMap { (wrapped ? $0["user"]?.objectValue : $0)?.integer("id") }
            }
            let (a, b) = (Int64(alice.id), Int64(bob.id))
            // The SDK sends id: {in: [..]} as id[in][]=…&id[in][]=….
            #expect(try await ids("/users/v2.json?id[in][]=\(a)&id[in][]=\(b)") == [a, b])
            #expect(try await ids("/users/v2?id[in]=\(a),%20\(b)&limit=1&offset=1") == [b])
            #expect(try await ids("/users/v2?login=bob") == [b])
            #expect(try await ids("/users/v2?full_name[start_with]=Alic&sort_desc=id") == [a])
            let page = try await api.send(
                .get, "/users/v2?id[in][]=\(a)&id[in][]=\(b)&sort_desc=created_at", token: token)
            #expect(page.object?.integer("total_entries") == 2)
            #expect(page.object?.integer("limit") == 100 && page.object?.integer("skip") == 0)
            let unfiltered = try await api.send(.get, "/users/v2?limit=10", token: token)
            #expect(unfiltered.status == .unprocessableContent, "\(unfiltered.text)")
            let short = try await api.send(.get, "/users/v2?full_name[start_with]=Al", token: token)
            #expect(!short.errors(for: "full_name[start_with]").isEmpty)

            #expect(
                try await ids("/users.json?filter[]=number+id+in+\(a),\(b)&per_page=1&page=2", wrapped: true) == [b])
            #expect(try await ids("/users?filter[]=string+login+eq+carol", wrapped: true).count == 1)
            #expect(
                try await ids("/users?filter[]=number+id+between+\(a),\(b)&order=desc+number+id", wrapped: true) == [
                    b, a,
                ])
            let v1 = try await api.send(.get, "/users?per_page=2", token: token)
            #expect(v1.object?.integer("current_page") == 1 && v1.object?.integer("per_page") == 2)
            #expect(v1.object?.integer("total_entries") == 3)
            let bad = try await api.send(.get, "/users?filter[]=number+id+near+1", token: token)
            #expect(!bad.errors(for: "filter[]").isEmpty, "\(bad.text)")
        }
    }
}
