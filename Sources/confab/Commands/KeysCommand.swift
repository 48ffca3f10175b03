import ArgumentParser
import ConfabCore
import ConfabStore
import Foundation

/// `confab keys`: an application's administration keys. Each works on the database directly, so it
/// works while a server runs on the same one; a server sees a change at its next request.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage an application's administration keys (named, with scope read or admin).",
        subcommands: [
            CreateKeyCommand.self, ListKeysCommand.self, RevokeKeyCommand.self, RotateKeyCommand.self,
        ]
    )
}

extension AdminKeyScope: ExpressibleByArgument {}

/// `--app`, `--database` and `--json`, which every `keys` command takes.
struct KeyCommandOptions: ParsableArguments {
    @Option(help: "The application's id.") var app: Int
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON instead of text.") var json = false

    /// Prints one key as `{"name":…,"scope":…,"admin_api_key":…}`, or as lines of text.
    func printKey(name: String, scope: AdminKeyScope, key: String, extra: [(String, JSONValue)] = []) {
        let fields: [(String, JSONValue)] =
            [("name", .string(name)), ("scope", .string(scope.rawValue)), ("admin_api_key", .string(key))] + extra
        if json {
            print(JSONValue.object(JSONObject(members: fields.map { .init(key: $0.0, value: $0.1) })).jsonText)
        } else {
            for (field, value) in fields { print("\(field): \(value.stringValue ?? value.jsonText)") }
            print("The key is shown only now; Confab stores its hash.")
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

struct CreateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a key and print it (shown only this once).")

    @OptionGroup var options: KeyCommandOptions
    @Option(help: "A name unique among the application's keys (1–64 characters).") var name: String
    @Option(help: "read: lists, exports, statistics, the change feed; admin: also every admin write.")
    var scope: AdminKeyScope = .read

    func validate() throws {
        guard AdminKeyInfo.isValidName(name) else {
            throw ValidationError("--name must be 1 to 64 characters, none of them control characters")
        }
    }

    func run() async throws {
        let key = try await options.database.withStore { store in
            try await store.createAdminKey(
                applicationId: options.app, name: name, scope: scope, at: KeyCommandOptions.now())
        }
        options.printKey(name: name, scope: scope, key: key)
    }
}

struct ListKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the keys: name, scope, created, last used (never a key).")

    @OptionGroup var options: KeyCommandOptions

    func run() async throws {
        let now = KeyCommandOptions.now()
        let keys = try await options.database.withStore { store in
            guard try await store.application(id: options.app) != nil else {
                throw StoreError.unknownApplication(options.app)
            }
            return try await store.adminKeys(applicationId: options.app, at: now)
        }
        if options.json {
            let items = keys.map { key in
                JSONValue.object(
                    JSONObject(members: [
                        .init(key: "name", value: .string(key.name)),
                        .init(key: "scope", value: .string(key.scope.rawValue)),
                        .init(key: "created_at", value: .integer(key.createdAt)),
                        .init(key: "last_used_at", value: key.lastUsedAt.map(JSONValue.integer) ?? .null),
                        .init(key: "expires_at", value: key.expiresAt.map(JSONValue.integer) ?? .null),
                    ]))
            }
            print(JSONValue.array(items).jsonText)
            return
        }
        let rows =
            [["NAME", "SCOPE", "CREATED", "LAST USED", "EXPIRES"]]
            + keys.map { key in
                [
                    key.name, key.scope.rawValue, UTCTimestamp.iso8601(key.createdAt),
                    key.lastUsedAt.map(UTCTimestamp.iso8601) ?? "never",
                    key.expiresAt.map(UTCTimestamp.iso8601) ?? "-",
                ]
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(
                zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}

struct RevokeKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke the keys with this name, a rotated-out one too, at once.")

    @OptionGroup var options: KeyCommandOptions
    @Option(help: "The key's name.") var name: String

    func run() async throws {
        let count = try await options.database.withStore { store in
            try await store.revokeAdminKey(applicationId: options.app, name: name)
        }
        guard count > 0 else { throw ValidationError("application \(options.app) has no key named \(name)") }
        if options.json {
            print(
                JSONValue.object(
                    JSONObject(members: [
                        .init(key: "name", value: .string(name)), .init(key: "revoked", value: .integer(Int64(count))),
                    ])
                ).jsonText)
        } else {
            print("revoked \(count) key\(count == 1 ? "" : "s") named \(name)")
        }
    }
}

struct RotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Issue a new key in place of one; the old key stays valid for the grace period, then is refused.")

    @OptionGroup var options: KeyCommandOptions
    @Option(help: "The key's name.") var name: String
    @Option(
        help: ArgumentHelp(
            "How long the old key stays valid: seconds, or a number with s, m, h or d (0: refused at once; at most 30d).",
            valueName: "duration"))
    var grace: String = "24h"

    static let maximumGrace: Int64 = 30 * 86_400

    func validate() throws { _ = try graceSeconds() }

    func graceSeconds() throws -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var digits = Substring(grace)
        var unit: Int64 = 1
        if let last = grace.last, let multiplier = units[last] {
            digits = grace.dropLast()
            unit = multiplier
        }
        guard let count = Int64(digits), count >= 0, count <= Self.maximumGrace / unit else {
            throw ValidationError("--grace must be a duration like 3600, 90m, 24h or 7d, at most 30d")
        }
        return count * unit
    }

    func run() async throws {
        let grace = try graceSeconds()
        let now = KeyCommandOptions.now()
        let rotated = try await options.database.withStore { store in
            try await store.rotateAdminKey(applicationId: options.app, name: name, graceSeconds: grace, at: now)
        }
        guard let (key, scope) = rotated else {
            throw ValidationError("application \(options.app) has no key named \(name)")
        }
        options.printKey(
            name: name, scope: scope, key: key,
            extra: [("old_key_expires_at", grace > 0 ? .integer(now + grace) : .null)])
    }
}
