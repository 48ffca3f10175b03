import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
    static func run(_ arguments: [String], in directory: URL, program: URL = executable) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both pipes at once: a child that fills one (64 KiB) while the other is read would wait
        // for ever.
        let errorData = Mutex(Data())
        let errorsRead = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorData.withLock { $0 = errors.fileHandleForReading.readDataToEndOfFile() }
            errorsRead.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData.withLock { $0 }, as: UTF8.self))
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

/// A `confab serve` running in the background, as an operator runs it: its output arrives as a
/// stream of chunks, and the test may signal it and wait for its end.
final class RunningServer: @unchecked Sendable {
    let process: Process
    private let chunks: AsyncStream<String>
    private let exited: AsyncStream<Void>
    private var seen = ""
    private let exitTime = ExitTime()

    private final class ExitTime: Sendable {
        let instant = Mutex<ContinuousClock.Instant?>(nil)
    }

    /// When the process ended, as its termination handler saw it.
    var exitedAt: ContinuousClock.Instant? { exitTime.instant.withLock { $0 } }

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
        let (exited, exit) = AsyncStream.makeStream(of: Void.self)
        self.exited = exited
        let exitTime = exitTime
        process.terminationHandler = { _ in
            exitTime.instant.withLock { $0 = .now }
            exit.yield()
            exit.finish()
        }
        try process.run()
    }

    /// Everything the server printed that has been read so far.
    var output: String { seen }

    /// The port from `Listening on http://127.0.0.1:PORT`; the server is killed if it has not
    /// printed it within `seconds`.
    func port(within seconds: Int = 120) async throws -> Int {
        let listening = /Listening on http:\/\/127\.0\.0\.1:(\d+)\n/
        let watchdog = Task { [process] in
            try await Task.sleep(for: .seconds(seconds))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        defer { watchdog.cancel() }
        if let match = seen.firstMatch(of: listening), let port = Int(match.1) { return port }
        for await chunk in chunks {
            seen += chunk
            if let match = seen.firstMatch(of: listening), let port = Int(match.1) { return port }
        }
        throw RunningServerError(output: seen)
    }

    func send(_ signal: Int32) {
        _ = kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end: true when it has, false when it still runs after `seconds`.
    func waitForExit(within seconds: Double) async -> Bool {
        if !process.isRunning { return true }
        let exited = exited
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in exited { return true }
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first || !process.isRunning
        }
    }

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

    /// Ends the process if it still runs (SIGKILL: the tests' `defer`), and reaps it.
    func stop() {
        if process.isRunning {
            send(SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// `confab serve` ended before it printed where it listens.
struct RunningServerError: Error, CustomStringConvertible {
    let output: String
    var description: String { "confab serve did not start listening: \(output)" }
}
