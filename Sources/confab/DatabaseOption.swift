import ArgumentParser
import ConfabStore
import Foundation

/// `--database`, shared by every command; falls back to `CONFAB_DATABASE_URL`, then to
/// `confab.sqlite` in the working directory.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .long,
        help: "sqlite:PATH (default: $CONFAB_DATABASE_URL, else sqlite:confab.sqlite)"
    )
    var database: String?

    var isGiven: Bool { database != nil || ProcessInfo.processInfo.environment["CONFAB_DATABASE_URL"] != nil }

    func location() throws -> DatabaseLocation {
        guard let text = database ?? ProcessInfo.processInfo.environment["CONFAB_DATABASE_URL"] else {
            return .defaultLocation
        }
        do {
            return try DatabaseLocation(parsing: text)
        } catch let error as StoreError {
            throw ValidationError("--database: \(error.detail)")
        }
    }
}
