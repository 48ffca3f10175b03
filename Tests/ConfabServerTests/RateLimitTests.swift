import ConfabCore
import ConfabTestSupport
import HTTPTypes
import Testing

@testable import ConfabServer

/// Each limiter: a burst is served, the next request is a 429 with `Retry-After` and a JSON
/// body, and the limiter's memory stays bounded whatever identities a client makes up.
@Suite("Rate limits")
struct RateLimitTests {
    static let tight = RateLimit(perSecond: 0.01, burst: 3)

    static func expectLimited(_ response: APIResponse, _ what: String) {
        #expect(response.status == .tooManyRequests, "\(what): \(response.status) \(response.text)")
        let retryAfter = response.headers[HTTPField.Name("Retry-After")!].flatMap { Int($0) }
        #expect((retryAfter ?? 0) >= 1, "\(what): Retry-After \(String(describing: retryAfter))")
        #expect(response.errors?.arrayValue?.first?.stringValue?.contains("retry after") == true, "\(what)")
    }

    @Test("per admin key", arguments: StoreKind.available)
    func adminKey(kind: StoreKind) async throws {
        try await withChatServer(kind, configure: { $0.rateLimits = RateLimits(perAdminKey: Self.tight) }) { api in
            for _ in 0..<3 { #expect(try await api.send(.get, "/admin/chat/list", admin: true).status == .ok) }
            Self.expectLimited(try await api.send(.get, "/admin/chat/list", admin: true), "4th admin request")
            // Another application's key has a bucket of its own.
            let other = try await api.otherApplication()
            #expect(try await other.send(.get, "/admin/chat/list", admin: true).status == .ok)
        }
    }

    @Test("per session token", arguments: StoreKind.available)
    func sessionToken(kind: StoreKind) async throws {
        try await withChatServer(kind, configure: { $0.rateLimits = RateLimits(perSession: Self.tight) }) { api in
            let alice = try await api.signUp("alice")
            for _ in 0..<3 { #expect(try await api.send(.get, "/chat/Dialog", token: alice.token).status == .ok) }
            Self.expectLimited(try await api.send(.get, "/chat/Dialog", token: alice.token), "4th chat request")
            let bob = try await api.signUp("bob")
            #expect(try await api.send(.get, "/chat/Dialog", token: bob.token).status == .ok)
        }
    }

    @Test(
        "per client address, on the unauthenticated endpoints and on refused credentials",
        arguments: StoreKind.available)
    func address(kind: StoreKind) async throws {
        try await withChatServer(kind, configure: { $0.rateLimits = RateLimits(perAddress: Self.tight) }) { api in
            // Three sessions are the burst; the fourth POST /session is refused before it is read.
            for _ in 0..<3 { _ = try await api.openSession() }
            Self.expectLimited(
                try await api.send(.post, "/session", json: JSONValue.object(api.sessionParameters()).jsonText),
                "4th POST /session")
        }
        try await withChatServer(kind, configure: { $0.rateLimits = RateLimits(perAddress: Self.tight) }) { api in
            for _ in 0..<3 {
                #expect(try await api.send(.get, "/chat/Dialog", token: "0123456789").status == .unauthorized)
            }
            // Guessing used the address's bucket: it may not guess again, with a key or a token.
            Self.expectLimited(try await api.send(.get, "/chat/Dialog", token: "0123456789"), "a 4th guess")
            Self.expectLimited(try await api.send(.get, "/admin/chat/list", admin: true), "after guessing")
        }
    }

    @Test("a limiter holds at most its bound of clients, however many it sees")
    func boundedMemory() {
        let limiter = RateLimiter(RateLimit(perSecond: 1, burst: 1), maximumTrackedClients: 100)
        for address in 0..<10_000 {
            #expect(limiter.take(Array("10.0.\(address / 256).\(address % 256)".utf8)) == .allowed)
            #expect(limiter.trackedClients <= 100)
        }
        // A client seen a moment ago is still remembered: its bucket is empty.
        #expect(limiter.take(Array("10.0.39.15".utf8)) != .allowed)
    }
}
