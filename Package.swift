// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Confab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "confab", targets: ["confab"]),
        .library(name: "ConfabCore", targets: ["ConfabCore"]),
        .library(name: "ConfabRequests", targets: ["ConfabRequests"]),
        .library(name: "ConfabStore", targets: ["ConfabStore"]),
        .library(name: "ConfabChat", targets: ["ConfabChat"]),
        .library(name: "ConfabData", targets: ["ConfabData"]),
        .library(name: "ConfabServer", targets: ["ConfabServer"]),
        .library(name: "ConfabAdminClient", targets: ["ConfabAdminClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // What server and SDK share: ids, models, wire types, the list query. No dependencies.
        .target(name: "ConfabCore"),
        // Reading what clients send (forms, JSON bodies, parameters) within bounds, and session
        // signatures: the server's side only, so the SDK never compiles swift-crypto.
        .target(
            name: "ConfabRequests",
            dependencies: ["ConfabCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // SQLiteNIO's own SQLite, called directly by the store's connections (its header says why).
        .target(name: "CSQLiteDirect", dependencies: [.product(name: "SQLiteKit", package: "sqlite-kit")]),
        .target(
            name: "ConfabStore",
            dependencies: [
                "ConfabCore",
                "CSQLiteDirect",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The chat rules, callable from HTTP and realtime alike: the store protocol in, `ChatError`
        // out; neither Hummingbird nor SQL.
        .target(name: "ConfabChat", dependencies: ["ConfabCore", "ConfabStore"]),
        // Bulk data in and out of a store: importing exports, synthetic data, the demo.
        .target(name: "ConfabData", dependencies: ["ConfabAdminClient", "ConfabCore", "ConfabStore"]),
        .target(
            name: "ConfabServer",
            dependencies: [
                "ConfabChat",
                "ConfabCore",
                "ConfabRequests",
                "ConfabStore",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI description served at `GET /openapi.yaml` (docs/openapi.yaml links here).
            resources: [.copy("Resources/openapi.yaml")]
        ),
        .target(
            name: "ConfabAdminClient",
            dependencies: [
                "ConfabCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "confab",
            dependencies: [
                "ConfabCore",
                "ConfabStore",
                "ConfabData",
                "ConfabServer",
                "ConfabAdminClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ConfabTestSupport",
            dependencies: [
                "ConfabCore",
                "ConfabStore",
                "ConfabData",
                "ConfabServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/ConfabTestSupport"
        ),
        .testTarget(name: "ConfabCoreTests", dependencies: ["ConfabCore"]),
        .testTarget(name: "ConfabRequestsTests", dependencies: ["ConfabCore", "ConfabRequests"]),
        .testTarget(
            name: "ConfabStoreTests",
            dependencies: [
                "ConfabCore", "ConfabStore", "ConfabData", "ConfabTestSupport",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
            ]
        ),
        .testTarget(
            name: "ConfabChatTests",
            dependencies: ["ConfabChat", "ConfabCore", "ConfabStore", "ConfabTestSupport"]
        ),
        .testTarget(
            name: "ConfabDataTests",
            dependencies: ["ConfabCore", "ConfabStore", "ConfabData", "ConfabTestSupport"]
        ),
        .testTarget(
            name: "ConfabServerTests",
            dependencies: [
                "ConfabCore",
                "ConfabRequests",
                "ConfabStore",
                "ConfabData",
                "ConfabServer",
                "ConfabTestSupport",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "ConfabAdminClientTests",
            dependencies: [
                "ConfabAdminClient",
                "ConfabCore",
                "ConfabRequests",
                "ConfabStore",
                "ConfabData",
                "ConfabServer",
                "ConfabTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "confabTests",
            dependencies: [
                "confab",
                "ConfabCore",
                "ConfabRequests",
                "ConfabStore",
                "ConfabData",
                "ConfabServer",
                "ConfabTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Every warning in Confab's own targets is an error (not in dependencies, nor in the fuzz
// targets added below, which scripts/fuzz.sh builds with its own flags).
for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-warnings-as-errors"])]
}

// libFuzzer targets (scripts/fuzz.sh), declared only when CONFAB_FUZZ is set so that the normal
// `swift build` and `swift test` never see them. Each depends on ConfabCore and ConfabRequests
// (and the shared input helpers) and calls the same entry points the server calls; libFuzzer
// provides `main`.
if Context.environment["CONFAB_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["ConfabCore", "ConfabRequests"], path: "Fuzz/FuzzSupport"))
    for name in ["FuzzForm", "FuzzJSON", "FuzzListQuery", "FuzzSession"] {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: ["ConfabCore", "ConfabRequests", "FuzzSupport"], path: "Fuzz/\(name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
