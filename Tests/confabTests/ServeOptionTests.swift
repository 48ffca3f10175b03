import Foundation
import Testing

@Suite("confab serve refuses options out of range")
struct ServeOptionTests {
    @Test(
        "a port, a timeout, a connection cap, a rate or a chat host out of range exits 64 naming the option, and listens nowhere",
        arguments: [
            (["--port", "70001"], "--port"),
            (["--port", "-1"], "--port"),
            (["--head-timeout", "0"], "--head-timeout"),
            (["--shutdown-grace", "100000"], "--shutdown-grace"),
            (["--max-connections", "0"], "--max-connections"),
            (["--rate-limit-admin", "-5"], "--rate-limit-admin"),
            (["--chat-host", "chat example"], "--chat-host"),
        ])
    func outOfRange(arguments: [String], option: String) throws {
        try withTemporaryDirectory { directory in
            let result = try ConfabProcess.run(["serve", "--database", "sqlite:x.sqlite"] + arguments, in: directory)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.errors)")
            #expect(result.errors.contains(option), "\(result.errors)")
            #expect(!result.output.contains("Listening"))
        }
    }
}
