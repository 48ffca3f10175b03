import ArgumentParser
import ConfabCore
import ConfabData
import ConfabStore
import Foundation

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write deterministic synthetic dialogs and messages into an application."
    )

    @Option(name: .customLong("app"), help: "The application id.") var applicationId: Int
    @Option(help: "Dialogs to create.") var dialogs: Int
    @Option(help: "Messages in total, spread over the dialogs.") var messages: Int
    @Option(help: "Distinct users (default: twice the dialogs, 20 to 100,000).") var users: Int?
    @Option(help: "Fixes every generated value; the same seed gives the same data.") var randomSeed: UInt64 = 1
    @Option(help: "Days the data spans, from 2023-11-14 (1 to 36,500).") var days: Int64 = 180
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard dialogs >= 1 else { throw ValidationError("--dialogs must be at least 1") }
        guard messages >= 0 else { throw ValidationError("--messages must be 0 or more") }
        if let users, users < 2 { throw ValidationError("--users must be at least 2") }
        guard (1...36_500).contains(days) else { throw ValidationError("--days must be from 1 to 36,500") }
    }

    func run() async throws {
        let plan = SyntheticChatPlan(
            applicationId: applicationId, dialogs: dialogs, messages: messages, users: users, seed: randomSeed,
            span: days * 86_400)
        let started = Date()
        try await database.withStore { store in
            try await store.load(plan) { dialogs, messages in
                print("\(dialogs) dialogs, \(messages) messages written")
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Int(Double(plan.messages) / seconds) : plan.messages
        print(
            "Seeded application \(applicationId): \(plan.dialogs) dialogs, \(plan.messages) messages in \(String(format: "%.1f", seconds)) s (\(rate) messages/s)"
        )
    }
}
