import Foundation
import Glibc

/// A TCP connection to the server that sends exactly the bytes a test gives it, for what an
/// HTTP client library will not send: a half-sent head, a lying Content-Length, broken chunks.
/// Reads wait at most `timeout` seconds (poll), so a test never hangs on a server that misbehaves.
public final class RawConnection: @unchecked Sendable {  // used by one task at a time
    private var socket: Int32
    public let timeout: Double
    /// The server's port.
    public let serverPort: Int

    public init(port: Int, timeout: Double = 10) throws {
        self.timeout = timeout
        serverPort = port
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawConnectionError.failed("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socket)
            throw RawConnectionError.failed("connect: \(errno)")
        }
    }

    deinit { disconnect() }

    /// Closes the client's side of the connection.
    public func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw RawConnectionError.failed("send: \(errno)") }
            offset += sent
        }
    }

    /// Bytes until the server closes the connection (or `timeout` passes: then it throws).
    /// Reads wait on a thread of their own, never on one of the few that run the server's tasks.
    public func readToEnd() async throws -> [UInt8] {
        try await Self.offPool { try self.readToEndBlocking() }
    }

    /// Reads until at least `count` bytes have come, or the server closes.
    public func read(atLeast count: Int) async throws -> [UInt8] {
        try await Self.offPool {
            var received = [UInt8]()
            while received.count < count, let chunk = try self.read() { received += chunk }
            return received
        }
    }

    /// The index of the first of `connections` with bytes to read (or closed by the server):
    /// waits for that event, not for a time.
    public static func firstReadable(of connections: [RawConnection], timeout: Double = 10) async throws -> Int {
        try await offPool {
            var descriptors = connections.map { pollfd(fd: $0.socket, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), Int32(timeout * 1000)) > 0,
                let ready = descriptors.firstIndex(where: { $0.revents != 0 })
            else { throw RawConnectionError.timedOut }
            return ready
        }
    }

    public func readResponse() async throws -> RawResponse {
        try await Self.offPool { try self.readResponseBlocking() }
    }

    /// Whether the server closes the connection within `timeout` (reading and dropping bytes).
    public func isClosedByServer() async -> Bool {
        (try? await readToEnd()) != nil
    }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    private func readToEndBlocking() throws -> [UInt8] {
        var received = [UInt8]()
        while let chunk = try read() { received += chunk }
        return received
    }

    /// One response: the head, then as many body bytes as Content-Length says.
    private func readResponseBlocking() throws -> RawResponse {
        var received = [UInt8]()
        while true {
            if let response = RawResponse(received) { return response }
            guard let chunk = try read() else {
                throw RawConnectionError.failed(
                    "closed after \(received.count) bytes: \(String(decoding: received, as: UTF8.self))")
            }
            received += chunk
        }
    }

    /// This end's port, as the server sees it.
    public var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until the server process has read every byte sent so far: its end of this
    /// connection has an empty receive queue in /proc/net/tcp. NIO decodes what it reads in the
    /// same event-loop turn, so from then on the server counts the request as in progress.
    public func waitUntilServerHasRead(within seconds: Double = 10) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let clientPort = localPort
        while ContinuousClock.now < deadline {
            if Self.receiveQueue(local: serverPort, remote: clientPort) == 0 { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw RawConnectionError.failed("the server did not read the request within \(seconds) s")
    }

    /// The receive queue of the IPv4 socket bound to `local` and connected to `remote`.
    public static func receiveQueue(local: Int, remote: Int) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return nil }
        defer { try? handle.close() }
        let table = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { continue }
            func port(_ field: Substring) -> Int? { field.split(separator: ":").last.flatMap { Int($0, radix: 16) } }
            if port(fields[1]) == local, port(fields[2]) == remote {
                return fields[4].split(separator: ":").last.flatMap { Int($0, radix: 16) }
            }
        }
        return nil
    }

    /// The next bytes, or nil once the server closed the connection.
    private func read() throws -> [UInt8]? {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) > 0 else { throw RawConnectionError.timedOut }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(socket, &buffer, buffer.count, 0)
        if count < 0 {
            if errno == ECONNRESET { return nil }
            throw RawConnectionError.failed("recv: \(errno)")
        }
        return count == 0 ? nil : Array(buffer[..<count])
    }
}

public enum RawConnectionError: Error {
    case failed(String)
    case timedOut
}

/// A parsed HTTP/1.1 response with a Content-Length body (see `chunkedBody` for the others).
public struct RawResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: [UInt8]

    init?(_ bytes: [UInt8]) {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.firstRange(of: separator) else { return nil }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var headers = [String: String]()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.count - end.upperBound >= length else { return nil }
        self.status = status
        self.headers = headers
        body = Array(bytes[end.upperBound..<(end.upperBound + length)])
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

extension RawResponse {
    /// The body of a whole chunked response as read to its end: nil if it is not one, or was cut.
    public static func chunkedBody(of bytes: [UInt8]) -> (head: String, body: [UInt8])? {
        let crlf: [UInt8] = Array("\r\n".utf8)
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        var body = [UInt8]()
        var index = end.upperBound
        while let lineEnd = bytes[index...].firstRange(of: crlf) {
            guard let size = Int(String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self), radix: 16),
                lineEnd.upperBound + size + 2 <= bytes.count
            else { return nil }
            if size == 0 { return (String(decoding: bytes[..<end.lowerBound], as: UTF8.self), body) }
            body += bytes[lineEnd.upperBound..<(lineEnd.upperBound + size)]
            index = lineEnd.upperBound + size + 2
        }
        return nil
    }
}
