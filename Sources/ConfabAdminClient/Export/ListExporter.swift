import ConfabCore
import Foundation

/// The export loop, once and correctly: walks an admin list by keyset, writes each page to the
/// output as it arrives (constant memory at any size), keeps what resuming needs after every
/// page, and checks at the end that every row the server counted arrived.
public struct ListExporter: Sendable {
    public let client: AdminClient

    public init(client: AdminClient) {
        self.client = client
    }

    public struct Options: Sendable {
        public var list: ChatCollection
        public var query: AdminListQuery
        public var format: ExportFormat
        /// A file, or `nil` for standard output (which cannot be resumed).
        public var output: String?
        /// Continue the unfinished export of `output` instead of starting over.
        public var resume: Bool

        public init(
            list: ChatCollection,
            query: AdminListQuery = AdminListQuery(),
            format: ExportFormat = .ndjson,
            output: String?,
            resume: Bool = false
        ) {
            self.list = list
            self.query = query
            self.format = format
            self.output = output
            self.resume = resume
        }
    }

    /// Runs the export; `progress` is called after every page. Returns the final progress.
    ///
    /// - Throws: `AdminClientError` from the API; `ExportError` when it cannot resume or write,
    ///   or, once the file is complete, when the rows that arrived are not as many as the
    ///   server counted (`.countMismatch`).
    public func run(_ options: Options, progress: (ExportProgress) -> Void = { _ in }) async throws -> ExportProgress {
        switch options.list {
        case .dialogs: try await run(AdminDialog.self, options, progress: progress)
        case .messages: try await run(AdminMessage.self, options, progress: progress)
        }
    }

    private func run<Item: AdminListItem>(
        _ item: Item.Type,
        _ options: Options,
        progress: (ExportProgress) -> Void
    ) async throws -> ExportProgress {
        var listQuery = try AdminFilter.listQuery(options.query.filters, sort: options.query.sort, for: options.list)
        listQuery.limit = client.pageSize
        let started = ContinuousClock.now
        var state = ExportState(
            list: options.list, url: client.baseURL, query: AdminClient.queryString(listQuery.formParameters),
            format: options.format, bytes: 0, rows: 0, position: nil)
        if options.resume { state = try ExportOutput.savedState(of: options.output, matching: state) }
        let rowsBefore = state.rows
        // The output is made once the server has answered: a refused key leaves no file behind.
        var output: ExportOutput?
        defer { output?.close() }

        var current = ExportProgress(
            list: options.list, rows: state.rows, total: state.rows, rowsThisRun: 0, seconds: 0)
        var lastSave = ContinuousClock.now
        /// Writes `records` (`rows` of them) and, when `always` or a second has passed, the state
        /// after them: per page when paging, at most once a second when streaming.
        func wrote(_ records: [UInt8], rows: Int, _ position: ListPosition?, always: Bool) throws {
            let writer = try output ?? ExportOutput.open(options.output, resume: options.resume, state: &state)
            output = writer
            let now = ContinuousClock.now
            let saving = always || now - lastSave >= .seconds(1)
            if saving { lastSave = now }
            try writer.append(records, rows: rows, position: position, state: &state, saving: saving)
            current.rows = state.rows
            current.rowsThisRun = state.rows - rowsBefore
            current.seconds = (now - started).seconds
            progress(current)
        }
        let format = options.format
        // A stream resumes after an `_id`; inside a run of equal times only paging (`skip`) can.
        var streamed = false
        if state.position == nil || listQuery.sort.field == .id {
            // The total, for the progress, from a one-row page.
            let first = try await client.page(Item.self, options.query, after: state.position, limit: 1)
            current.total = state.rows + first.totalEntries - first.skip
            do {
                if format == .csv {
                    _ = try await client.streamExport(Item.self, options.query, after: state.position) {
                        try wrote(format.records($0, after: state.rows), rows: $0.count, $1, always: false)
                    }
                } else {
                    // NDJSON and JSON take each line as the server sent it.
                    _ = try await client.streamExportLines(options.list, options.query, after: state.position) {
                        try wrote(format.records(lines: $0, after: state.rows), rows: $0.count, $1, always: false)
                    }
                }
                streamed = true
            } catch let error as AdminClientError where error.code == .incompatibleServer && error.status == 404 {
                // ConnectyCube, which only pages.
            } catch is ExportCut {
                // Paged on from the last whole item the stream left in the file; the first page
                // saves the state.
            }
        }
        if !streamed {
            // Paged from where the file stands.
            let rowsBeforePages = state.rows
            var expected: Int?
            for try await page in client.pages(Item.self, options.query, after: state.position) {
                if expected == nil {
                    expected = page.totalEntries - page.skip
                    current.total = rowsBeforePages + page.totalEntries - page.skip
                }
                try wrote(
                    format.records(page.items, after: state.rows), rows: page.items.count, page.position, always: true)
            }
            if let expected, state.rows - rowsBeforePages != expected {
                throw ExportError.countMismatch(
                    expected: expected, received: state.rows - rowsBeforePages, list: options.list.rawValue)
            }
        }
        try (output ?? ExportOutput.open(options.output, resume: options.resume, state: &state))
            .finish(footer: options.format.footer)
        current.seconds = (ContinuousClock.now - started).seconds
        return current
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Where an export writes: a file with its state beside it, or standard output.
private final class ExportOutput {
    private let handle: FileHandle
    private let path: String?
    private var isClosed = false

    private init(handle: FileHandle, path: String?) {
        self.handle = handle
        self.path = path
    }

    /// Writes `records` (`rows` items), then, when `saving`, the state that resuming after
    /// them (at `position`) needs.
    func append(_ records: [UInt8], rows: Int, position: ListPosition?, state: inout ExportState, saving: Bool) throws {
        try append(records)
        state.rows += rows
        state.bytes += records.count
        state.position = position
        if saving { try save(state) }
    }

    /// The state saved by the unfinished export of `path`, which must have been started with
    /// the options of `state`.
    static func savedState(of path: String?, matching state: ExportState) throws -> ExportState {
        guard let path else { throw ExportError(code: .cannotResume, description: "resuming needs an output file") }
        guard let saved = try ExportState.read(from: ExportState.path(for: path)),
            FileManager.default.fileExists(atPath: path)
        else { throw ExportError.nothingToResume(path) }
        guard saved.hasSameOptions(as: state) else { throw ExportError.otherOptions(path) }
        // Cutting back to a length the file never reached would pad it with zeros.
        let length = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard length >= saved.bytes else {
            throw ExportError(
                code: .cannotResume,
                description:
                    "\(path) is shorter than its export state says (\(length) < \(saved.bytes) bytes); start a new export instead"
            )
        }
        return saved
    }

    /// Opens the output: resuming (the file cut back to `state.bytes`, its last whole page), or
    /// starting over (header written, state saved), or standard output (header written).
    static func open(_ path: String?, resume: Bool, state: inout ExportState) throws -> ExportOutput {
        guard let path else {
            let output = ExportOutput(handle: .standardOutput, path: nil)
            try output.append(state.format.header(for: state.list))
            return output
        }
        do {
            if resume {
                guard let handle = FileHandle(forUpdatingAtPath: path) else {
                    throw ExportError.output(path, "cannot open it for writing")
                }
                try handle.truncate(atOffset: UInt64(state.bytes))
                try handle.seekToEnd()
                return ExportOutput(handle: handle, path: path)
            }
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw ExportError.output(path, "cannot create it") }
            let output = ExportOutput(handle: handle, path: path)
            let header = state.format.header(for: state.list)
            try output.append(header)
            state.bytes = header.count
            try output.save(state)
            return output
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError.output(path, "\(error)")
        }
    }

    func append(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw ExportError.output(path ?? "standard output", "\(error)")
        }
    }

    /// Records the state after a page; the file's bytes are written first.
    func save(_ state: ExportState) throws {
        guard let path else { return }
        do {
            try state.write(to: ExportState.path(for: path))
        } catch {
            throw ExportError.output(ExportState.path(for: path), "\(error)")
        }
    }

    /// Writes the footer and removes the state: the export is complete.
    func finish(footer: [UInt8]) throws {
        try append(footer)
        close()
        if let path { try? FileManager.default.removeItem(atPath: ExportState.path(for: path)) }
    }

    func close() {
        guard !isClosed, path != nil else { return }
        isClosed = true
        try? handle.close()
    }
}
