import ConfabCore
import ConfabTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 13: a write `confab serve` has acknowledged survives the process being killed, and
/// SIGTERM lets requests in flight finish, within `--shutdown-grace`, before the stores close.
/// Each test runs the built `confab` binary against a database of its own, over real HTTP.
@Suite("Durability of acknowledged writes and shutdown", .serialized)
struct DurabilityTests {
    /// The rate limits would answer 429 to the writers, which are one session on one address.
    static let unlimited = ["--rate-limit-session", "0", "--rate-limit-address", "0", "--rate-limit-admin", "0"]

    @Test("every message acknowledged before a SIGKILL is listed after a restart", arguments: StoreKind.available)
    func acknowledgedWritesSurviveSIGKILL(_ kind: StoreKind) async throws {
        try await withDurabilityDatabase(kind) { url, _, directory in
            let keys = try ApplicationKeys.create(database: url, in: directory)
            let arguments = ["serve", "--port", "0", "--database", url] + Self.unlimited
            let server = try RunningServer(arguments, in: directory)
            defer { server.stop() }
            let http = ChatHTTP(port: try await server.port(), keys: keys)
            let (token, dialogId) = try await http.writerAndDialog()

            // Eight writers post until the server goes; the kill comes at the 300th
            // acknowledgement, while the writers have requests in flight.
            let log = WriteLog(milestone: 300)
            let writers = Task { await runWriters(8, http: http, token: token, dialogId: dialogId, log: log) }
            defer { writers.cancel() }
            let reached = await log.waitForMilestone()
            try #require(reached, "writers stopped early: \(log.otherAnswers.prefix(3)) \(log.errors.prefix(3))")
            server.send(SIGKILL)
            #expect(await server.waitForExit(within: 10))
            // Nothing is in flight once the process is gone; requests still waiting for a
            // connection (AsyncHTTPClient retries refused connects until a request's deadline)
            // are cancelled.
            writers.cancel()
            await writers.value
            #expect(server.process.terminationReason == .uncaughtSignal)
            #expect(log.otherAnswers.isEmpty, "answers other than 201: \(log.otherAnswers.prefix(5))")
            let acknowledged = log.acknowledged
            #expect(acknowledged.count >= 300)
            #expect(Set(acknowledged).count == acknowledged.count, "an _id was acknowledged twice")

            let restarted = try RunningServer(arguments, in: directory)
            defer { restarted.stop() }
            let listed = try await ChatHTTP(port: try await restarted.port(), keys: keys).allMessageIds()
            let missing = acknowledged.filter { !listed.contains($0) }
            #expect(
                missing.isEmpty,
                "\(missing.count) of \(acknowledged.count) acknowledged messages are gone (\(listed.count) listed): \(missing.prefix(5))"
            )
            restarted.send(SIGTERM)
            #expect(await restarted.waitForExit(within: 15))
        }
    }

    @Test(
        "SIGTERM lets requests in flight finish, exits 0 within the grace period and leaves every acknowledged write",
        arguments: StoreKind.available)
    func sigtermDrainsRequestsInFlight(_ kind: StoreKind) async throws {
        try await withDurabilityDatabase(kind) { url, sqlitePath, directory in
            let keys = try ApplicationKeys.create(database: url, in: directory)
            // Long enough that a loaded CI machine finishes the requests in flight inside it;
            // the server exits as soon as they are done, not at the deadline.
            let grace = 10.0
            let server = try RunningServer(
                ["serve", "--port", "0", "--database", url, "--shutdown-grace", "10"] + Self.unlimited, in: directory)
            defer { server.stop() }
            let port = try await server.port()
            let http = ChatHTTP(port: port, keys: keys)
            let (token, dialogId) = try await http.writerAndDialog()

            let log = WriteLog(milestone: 100)
            let writers = Task { await runWriters(8, http: http, token: token, dialogId: dialogId, log: log) }
            defer { writers.cancel() }
            let reached = await log.waitForMilestone()
            try #require(reached, "writers stopped early: \(log.otherAnswers.prefix(3)) \(log.errors.prefix(3))")

            // Three requests certainly in flight: head and half the body sent, and read by the
            // server, when SIGTERM comes; the rest of each body follows after it.
            var pending: [(connection: RawConnection, rest: String)] = []
            for index in 0..<3 {
                let body = ChatHTTP.messageBody(dialogId: dialogId, text: "in flight \(index) \(UUID().uuidString)")
                let half = body.utf8.count / 2
                let connection = try RawConnection(port: port, timeout: 20)
                try connection.send(
                    "POST /chat/Message HTTP/1.1\r\nHost: 127.0.0.1\r\nCB-Token: \(token)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                        + String(body.utf8.prefix(half))!)
                try await connection.waitUntilServerHasRead()
                pending.append((connection, String(body.utf8.dropFirst(half))!))
            }

            let signalled = ContinuousClock.now
            server.send(SIGTERM)
            for (connection, rest) in pending {
                try connection.send(rest)
                let response = try? await connection.readResponse()
                #expect(
                    response?.status == 201,
                    "a request in flight at SIGTERM: \(response?.text ?? "no answer") \(ContinuousClock.now - signalled) after it; server: \(server.output.suffix(2_000))"
                )
                if let body = response?.body, let id = (try? JSONParser.parse(body))?.objectValue?["_id"]?.stringValue {
                    log.acknowledge(id)
                }
            }
            let exited = await server.waitForExit(within: grace + 5)
            let elapsed = (server.exitedAt ?? .now) - signalled
            writers.cancel()
            await writers.value
            print(
                "drain: exit \(elapsed) after SIGTERM at \(signalled), writers done after \(ContinuousClock.now - signalled), errors \(log.errors.count), first \(log.errors.first ?? "none")"
            )
            try #require(exited, "still running \(elapsed) after SIGTERM")
            #expect(elapsed < .seconds(grace + 3), "exit took \(elapsed)")
            #expect(server.process.terminationReason == .exit)
            #expect(server.process.terminationStatus == 0, "server output: \(server.output)")
            // Requests after SIGTERM may be refused (the listener is closed) but never answered 5xx.
            #expect(log.otherAnswers.isEmpty, "answers other than 201: \(log.otherAnswers.prefix(5))")

            if let sqlitePath {
                #expect(try await sqliteIntegrityCheck(path: sqlitePath) == "ok")
            }
            let acknowledged = log.acknowledged
            let restarted = try RunningServer(
                ["serve", "--port", "0", "--database", url] + Self.unlimited, in: directory)
            defer { restarted.stop() }
            let listed = try await ChatHTTP(port: try await restarted.port(), keys: keys).allMessageIds()
            let missing = acknowledged.filter { !listed.contains($0) }
            #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged messages are gone")
            restarted.send(SIGTERM)
            #expect(await restarted.waitForExit(within: 15))
        }
    }

    @Test("SIGTERM cuts a request whose body never comes at the end of the grace period")
    func sigtermCutsASlowRequest() async throws {
        try await withDurabilityDatabase(.sqlite) { url, sqlitePath, directory in
            let keys = try ApplicationKeys.create(database: url, in: directory)
            let grace = 1.0
            let server = try RunningServer(
                ["serve", "--port", "0", "--database", url, "--shutdown-grace", "1", "--body-timeout", "60"]
                    + Self.unlimited, in: directory)
            defer { server.stop() }
            let port = try await server.port()
            let (token, dialogId) = try await ChatHTTP(port: port, keys: keys).writerAndDialog()

            // A body of exactly 1,000 bytes, of which 500 are sent.
            let empty = ChatHTTP.messageBody(dialogId: dialogId, text: "")
            let body = ChatHTTP.messageBody(
                dialogId: dialogId, text: String(repeating: "x", count: 1_000 - empty.utf8.count))
            #expect(body.utf8.count == 1_000)
            let connection = try RawConnection(port: port, timeout: 20)
            try connection.send(
                "POST /chat/Message HTTP/1.1\r\nHost: 127.0.0.1\r\nCB-Token: \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + String(body.utf8.prefix(500))!)
            try await connection.waitUntilServerHasRead()

            let signalled = ContinuousClock.now
            server.send(SIGTERM)
            let exited = await server.waitForExit(within: grace + 10)
            let elapsed = (server.exitedAt ?? .now) - signalled
            try #require(exited, "still running \(elapsed) after SIGTERM")
            #expect(elapsed < .seconds(grace + 6), "exit took \(elapsed)")
            #expect(elapsed >= .seconds(grace * 0.9), "the request in flight was cut before the grace period ended")
            #expect(await connection.isClosedByServer())
            if let sqlitePath {
                #expect(try await sqliteIntegrityCheck(path: sqlitePath) == "ok")
            }
            print(
                "slow request: confab serve ended \(elapsed) after SIGTERM, \(server.process.terminationReason == .exit ? "status" : "signal") \(server.process.terminationStatus)"
            )
        }
    }
}
