// swift-tools-version: 6.1
// The in-process benchmark (`confab-bench`, scripts/bench.sh), a package of its own beside
// Confab's (as postgres-nio keeps its benchmarks), so that `swift build` and `swift test` of
// Confab never build it.
import PackageDescription

let package = Package(
    name: "ConfabBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Confab", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "confab-bench",
            dependencies: [
                .product(name: "ConfabCore", package: "Confab"),
                .product(name: "ConfabRequests", package: "Confab"),
                .product(name: "ConfabStore", package: "Confab"),
                .product(name: "ConfabData", package: "Confab"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "ConfabBench",
            swiftSettings: [.unsafeFlags(["-warnings-as-errors"])]
        )
    ],
    swiftLanguageModes: [.v6]
)
