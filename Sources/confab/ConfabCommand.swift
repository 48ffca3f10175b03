import ArgumentParser

@main
struct ConfabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confab",
        abstract: "A self-hosted chat backend that speaks ConnectyCube's chat and Admin APIs.",
        subcommands: [
            ServeCommand.self, AppsCommand.self, SeedCommand.self, ExportCommand.self, ImportCommand.self,
            MirrorCommand.self, KeysCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}
