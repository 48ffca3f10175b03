import ArgumentParser
import ConfabCore
import ConfabStore
import Foundation

struct AppsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps",
        abstract: "Manage applications.",
        subcommands: [CreateApplicationCommand.self]
    )
}

struct CreateApplicationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an application and print its keys (the admin API key is shown only this once)."
    )

    @Option(help: "A name for people.") var name: String
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON instead of text.") var json = false

    func validate() throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--name must not be empty")
        }
    }

    func run() async throws {
        let store = try await database.openStore()
        let credentials = ApplicationCredentials.random()
        let application: ChatApplication
        do {
            application = try await store.createApplication(
                name: name, credentials: credentials, createdAt: Int64(Date().timeIntervalSince1970))
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        let fields: [(String, JSONValue)] = [
            ("application_id", .integer(Int64(application.id))),
            ("name", .string(application.name)),
            ("auth_key", .string(credentials.authKey)),
            ("auth_secret", .string(credentials.authSecret)),
            ("admin_api_key", .string(credentials.adminAPIKey)),
        ]
        if json {
            print(JSONValue.object(JSONObject(members: fields.map { .init(key: $0.0, value: $0.1) })).jsonText)
        } else {
            for (key, value) in fields {
                print("\(key): \(value.stringValue ?? value.jsonText)")
            }
            print("The admin API key is shown only now; Confab stores its hash.")
        }
    }
}
