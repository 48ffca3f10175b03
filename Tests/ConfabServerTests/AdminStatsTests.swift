import ConfabCore
import ConfabStore
import ConfabTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// `GET /admin/stats/…` (`admin-stats-api.md`) through the real router on each store, against
/// `StatsOracle` over the fixture's rows.
@Suite("The statistics API")
struct AdminStatsTests {
    static func prepare(_ store: any ChatStore) async throws -> Fixtures {
        Fixtures(
            main: try await ChatFixture.make(in: store, dialogs: 80, messages: 900, seed: 11),
            other: try await ChatFixture.make(in: store, name: "Other", dialogs: 5, messages: 40, seed: 12))
    }

    /// Bounds inside a day, at a day's first and last second, absent, and types.
    static func queries(_ fixture: ChatFixture) -> [(StatsEndpoint, [(String, String)])] {
        let sent = fixture.messages.map(\.dateSent).sorted()
        let created = fixture.dialogs.map(\.createdAt).sorted()
        let midnight = DayCount.day(of: sent[300]) * 86_400
        return [
            (.messagesSentTotal, []),
            (.messagesSentTotal, [("start_date", "\(sent[100])"), ("end_date", "\(sent[700])")]),
            (.messagesSentTotal, [("start_date", "\(midnight)"), ("end_date", "\(midnight + 86_399)")]),
            (.messagesSentPerDay, []),
            (.messagesSentPerDay, [("start_date", "\(sent[250] + 1)"), ("limit", "7"), ("offset", "2")]),
            (.messagesSentPerDay, [("end_date", "\(midnight - 1)"), ("limit", "3")]),
            (.dialogsCreatedTotal, [("types[]", "2"), ("types[]", "3")]),
            (.dialogsCreatedTotal, [("start_date", "\(created[10])"), ("end_date", "\(created[60])")]),
            (.dialogsCreatedPerDay, [("types[]", "1"), ("types[]", "4"), ("limit", "50")]),
            (.dialogsCreatedPerDay, [("start_date", "\(created[20] - 1)"), ("offset", "1")]),
        ]
    }

    static func expected(_ endpoint: StatsEndpoint, _ parameters: [(String, String)], _ fixture: ChatFixture) throws
        -> [UInt8]
    {
        let query = try StatsQueryParser.parse(
            parameters.map { FormParameter(name: $0.0, value: $0.1) }, for: endpoint)
        return endpoint.isPerDay
            ? StatsJSON.perDay(StatsOracle.perDay(query, dialogs: fixture.dialogs, messages: fixture.messages))
            : StatsJSON.total(StatsOracle.total(query, dialogs: fixture.dialogs, messages: fixture.messages))
    }

    static func form(_ parameters: [(String, String)]) -> String {
        parameters.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\($0.1)" }
            .joined(separator: "&")
    }

    @Test(
        "answers equal a count of the rows, from the query string, a form body and a JSON body",
        arguments: StoreKind.available)
    func answersMatchTheRows(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            var listedDays = 0
            for (endpoint, parameters) in Self.queries(fixture) {
                let expected = try Self.expected(endpoint, parameters, fixture)
                let path = "/admin/" + endpoint.path
                let inQuery = try await api.get(path + (parameters.isEmpty ? "" : "?" + Self.form(parameters)))
                #expect(inQuery.status == .ok, "\(path) \(parameters): \(String(buffer: inQuery.body))")
                #expect(Array(inQuery.body.readableBytesView) == expected, "\(path) \(parameters)")
                let inForm = try await api.get(path + ".json", body: Self.form(parameters))
                #expect(Array(inForm.body.readableBytesView) == expected, "form body: \(path) \(parameters)")
                // JSON: types as an array, the rest as numbers.
                var members = parameters.filter { $0.0 != "types[]" }.map { "\"\($0.0)\":\($0.1)" }
                let types = parameters.filter { $0.0 == "types[]" }.map(\.1)
                if !types.isEmpty { members.append("\"types\":[\(types.joined(separator: ","))]") }
                let inJSON = try await api.get(
                    path, body: "{\(members.joined(separator: ","))}", contentType: "application/json")
                #expect(Array(inJSON.body.readableBytesView) == expected, "JSON body: \(path) \(parameters)")
                if endpoint.isPerDay {
                    let days = try StatsJSON.readPerDay(Array(inQuery.body.readableBytesView))
                    #expect(days.map(\.day) == days.map(\.day).sorted(), "days ascending")
                    listedDays += days.count
                }
            }
            #expect(listedDays > 100)
            // A day is YYYY-MM-DD in UTC.
            let first = try #require(fixture.messages.map(\.dateSent).min())
            let page = try await api.get("/admin/stats/messages/sent-per-day?limit=1")
            let text = String(buffer: page.body)
            #expect(text.hasPrefix("{\"\(UTCTimestamp.iso8601(first).prefix(10))\":"), "\(text)")
        }
    }

    @Test("limit takes 1 to 100 (above answers 100), offset skips listed days", arguments: StoreKind.available)
    func limitAndOffset(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let all = StatsOracle.perDay(
                StatsQuery(subject: .messagesSent, days: DayWindow(limit: 100)), dialogs: [], messages: fixture.messages
            )
            #expect(all.count == 100, "the fixture spans more than 100 days")
            let capped = try await api.get("/admin/stats/messages/sent-per-day?limit=100000000000000000000000")
            #expect(try StatsJSON.readPerDay(Array(capped.body.readableBytesView)) == all)
            let skipped = try await api.get("/admin/stats/messages/sent-per-day?limit=4&offset=97")
            #expect(try StatsJSON.readPerDay(Array(skipped.body.readableBytesView)).first == all[97])
            let beyond = try await api.get("/admin/stats/messages/sent-per-day?offset=100000")
            #expect(String(buffer: beyond.body) == "{}")
        }
    }

    @Test("bad parameters are a 422 naming each", arguments: StoreKind.available)
    func badParameters(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let fixture = try fixtures.requireMain()
            let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
            let cases: [(String, String)] = [
                ("/admin/stats/messages/sent-total?start_date=yesterday", "start_date"),
                ("/admin/stats/messages/sent-total?end_date=1.5", "end_date"),
                ("/admin/stats/messages/sent-total?start_date=20&end_date=10", "start_date"),
                ("/admin/stats/messages/sent-total?start_date=1&start_date=2", "start_date"),
                ("/admin/stats/messages/sent-total?limit=5", "limit"),
                ("/admin/stats/messages/sent-total?types%5B%5D=2", "types[]"),
                ("/admin/stats/messages/sent-per-day?limit=0", "limit"),
                ("/admin/stats/messages/sent-per-day?offset=-1", "offset"),
                ("/admin/stats/messages/sent-per-day?skip=1", "skip"),
                ("/admin/stats/dialogs/created-total?types%5B%5D=5", "types[]"),
                ("/admin/stats/dialogs/created-total?types%5B%5D=2&types%5B%5D=x", "types[]"),
                ("/admin/stats/dialogs/created-total?type=2", "type"),
                ("/admin/stats/dialogs/created-per-day?limit=1&limit=2", "limit"),
            ]
            for (path, parameter) in cases {
                let response = try await api.get(path)
                #expect(response.status == .unprocessableContent, "\(path)")
                #expect(response.errors?.objectValue?[parameter] != nil, "\(path): \(String(buffer: response.body))")
            }
            let json = try await api.get(
                "/admin/stats/dialogs/created-total", body: #"{"types":[2,{"a":1}]}"#, contentType: "application/json")
            #expect(json.status == .unprocessableContent)
        }
    }

    @Test("the key is checked first, and counts only its application's rows", arguments: StoreKind.available)
    func keys(kind: StoreKind) async throws {
        try await withTestServer(kind, prepare: Self.prepare) { client, fixtures in
            let main = try fixtures.requireMain()
            let other = try #require(fixtures.other)
            let anonymous = AdminAPITestClient(client: client, key: nil)
            let wrong = AdminAPITestClient(client: client, key: "not-a-key")
            for endpoint in StatsEndpoint.allCases {
                #expect(try await anonymous.get("/admin/\(endpoint.path)?start_date=x").status == .unauthorized)
                #expect(try await wrong.get("/admin/\(endpoint.path)").status == .unauthorized)
            }
            for fixture in [main, other] {
                let api = AdminAPITestClient(client: client, key: fixture.credentials.adminAPIKey)
                let messages = try await api.get("/admin/stats/messages/sent-total")
                #expect(String(buffer: messages.body) == "{\"total\":\(fixture.messages.count)}")
                let dialogs = try await api.get("/admin/stats/dialogs/created-total")
                #expect(String(buffer: dialogs.body) == "{\"total\":\(fixture.dialogs.count)}")
            }
        }
    }

    @Test(
        "counts what the REST API wrote: a message deleted for everyone is gone, one deleted for its sender stays",
        arguments: StoreKind.available)
    func restWrites(kind: StoreKind) async throws {
        try await withChatServer(kind) { api in
            let alice = try await api.signUp("alice")
            let bob = try await api.signUp("bob")
            let created = try await api.send(
                .post, "/chat/Dialog", token: alice.token, form: "type=3&occupants_ids=\(bob.id)")
            let dialog = try #require(created.object?.string("_id"))
            var ids: [String] = []
            for index in 0..<3 {
                // The second message claims a date_sent of its own, a day earlier.
                let date = index == 1 ? ",\"date_sent\":\(api.clock.now - 86_400)" : ""
                let sent = try await api.send(
                    .post, "/chat/Message", token: alice.token,
                    json: #"{"chat_dialog_id":"\#(dialog)","message":"m\#(index)"\#(date)}"#)
                ids.append(try #require(sent.object?.string("_id"), "\(sent.text)"))
            }
            func stats(_ path: String) async throws -> String {
                let response = try await api.send(.get, "/admin/stats/" + path, admin: true)
                #expect(response.status == .ok, "\(response.text)")
                return response.text
            }
            let today = UTCTimestamp.iso8601(api.clock.now).prefix(10)
            let yesterday = UTCTimestamp.iso8601(api.clock.now - 86_400).prefix(10)
            #expect(try await stats("messages/sent-total") == #"{"total":3}"#)
            #expect(try await stats("messages/sent-per-day") == #"{"\#(yesterday)":1,"\#(today)":2}"#)
            #expect(try await stats("dialogs/created-per-day?types[]=3") == #"{"\#(today)":1}"#)
            #expect(try await stats("dialogs/created-total?types[]=2") == #"{"total":0}"#)
            let forMe = try await api.send(.delete, "/chat/Message/\(ids[0])", token: alice.token)
            #expect(forMe.status == .ok, "\(forMe.text)")
            #expect(try await stats("messages/sent-total") == #"{"total":3}"#)
            let forEveryone = try await api.send(.delete, "/chat/Message/\(ids[1])?force=1", token: alice.token)
            #expect(forEveryone.status == .ok, "\(forEveryone.text)")
            #expect(try await stats("messages/sent-per-day") == #"{"\#(today)":2}"#)
            #expect(try await stats("messages/sent-total") == #"{"total":2}"#)
        }
    }
}
