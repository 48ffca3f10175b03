import Foundation

/// The built `confab` binary run as a child process, as an operator runs it.
struct ConfabProcess {
    /// `confab` sits beside the test bundle in the build directory.
    static let executable: URL = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundleDirectory.appendingPathComponent("confab")
    }()

    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `confab arguments…` in `directory` to the end.
    static func run(_ arguments: [String], in directory: URL) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }
}

/// A `confab` command running in the background, its standard error going to a file.
struct BackgroundCommand {
    let process: Process
    let errorsFile: URL

    init(_ arguments: [String], in directory: URL) throws {
        process = Process()
        process.executableURL = ConfabProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        errorsFile = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errorsFile.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorsFile)
        try process.run()
    }

    /// Waits for the end; the exit status and what went to standard error.
    func finish() throws -> (status: Int32, errors: String) {
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: errorsFile, encoding: .utf8))
    }
}

/// A `confab serve` running in the background; its output arrives as a stream of chunks.
final class RunningServer: @unchecked Sendable {
    private let process: Process
    private let chunks: AsyncStream<String>
    private var seen = ""

    init(_ arguments: [String], in directory: URL) throws {
        process = Process()
        process.executableURL = ConfabProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let (chunks, continuation) = AsyncStream.makeStream(of: String.self)
        self.chunks = chunks
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
            } else {
                continuation.yield(String(decoding: data, as: UTF8.self))
            }
        }
        try process.run()
    }

    /// Everything read so far.
    var output: String { seen }

    /// Reads output until `isComplete` holds for all of it (true) or the output ends (false).
    /// A watchdog ends the process after `seconds`, so a hung server fails the test.
    func waitForOutput(seconds: Int, until isComplete: (String) -> Bool) async -> Bool {
        let watchdog = Task { [process] in
            try await Task.sleep(for: .seconds(seconds))
            if process.isRunning { process.terminate() }
        }
        defer { watchdog.cancel() }
        if isComplete(seen) { return true }
        for await chunk in chunks {
            seen += chunk
            if isComplete(seen) { return true }
        }
        return false
    }

    func stop() {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
    }
}
