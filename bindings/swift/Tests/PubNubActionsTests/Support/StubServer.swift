import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server on a free port of 127.0.0.1 that gives every
/// request the same reply, or keeps every connection open without replying.
///
/// Tests use it instead of the emulator where they need to know that a
/// request reached the server (or that none did), and for requests that must
/// stay in flight until the test ends.
final class StubServer: @unchecked Sendable {
    enum Behavior: Sendable {
        /// Reply with this status, extra header lines and body, then close.
        case reply(status: Int, headers: [String] = [], body: String)
        /// Read the request and never reply; the connection closes at ``stop()``.
        case holdOpen
    }

    let port: UInt16
    var origin: String { "127.0.0.1:\(port)" }

    private let behavior: Behavior
    private let listener: Int32
    private let requestArrived = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    // Guarded by `lock`.
    private var requestLines: [String] = []
    private var heldConnections: [Int32] = []

    init(_ behavior: Behavior) throws {
        self.behavior = behavior
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else {
            throw EmulatorError("socket() failed with errno \(errno)")
        }
        port = try bindLoopback(listener)
        guard listen(listener, 128) == 0 else {
            throw EmulatorError("listen() failed with errno \(errno)")
        }
        Thread.detachNewThread { [self] in
            acceptConnections()
        }
    }

    /// Request lines received so far, such as "POST /v1/message-actions/... HTTP/1.1".
    var receivedRequestLines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return requestLines
    }

    /// Waits until `count` more requests have arrived. Returns false if they
    /// have not after 60 seconds, a limit that only keeps a broken test from
    /// hanging.
    func waitForRequests(_ count: Int) -> Bool {
        for _ in 0..<count {
            if requestArrived.wait(timeout: .now() + 60) == .timedOut {
                return false
            }
        }
        return true
    }

    /// Stops accepting connections and closes the held ones.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.lock()
        let openConnections = heldConnections
        heldConnections = []
        lock.unlock()
        for connection in openConnections {
            close(connection)
        }
    }

    private func acceptConnections() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR {
                    continue
                }
                return
            }
            Thread.detachNewThread { [self] in
                serve(connection)
            }
        }
    }

    private func serve(_ connection: Int32) {
        guard let requestLine = readRequest(connection) else {
            close(connection)
            return
        }
        lock.lock()
        requestLines.append(requestLine)
        lock.unlock()
        requestArrived.signal()

        switch behavior {
        case .holdOpen:
            lock.lock()
            heldConnections.append(connection)
            lock.unlock()
        case .reply(let status, let headers, let body):
            let bodyBytes = Array(body.utf8)
            var head = "HTTP/1.1 \(status) Stub\r\n"
            head += "Content-Type: text/javascript; charset=\"UTF-8\"\r\n"
            head += "Content-Length: \(bodyBytes.count)\r\n"
            head += "Connection: close\r\n"
            for header in headers {
                head += header + "\r\n"
            }
            head += "\r\n"
            writeAll(connection, Array(head.utf8) + bodyBytes)
            close(connection)
        }
    }

    /// Reads one request (head and Content-Length body) and returns its first line.
    private func readRequest(_ connection: Int32) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?

        while headEnd == nil {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else {
                return nil
            }
            received += buffer[0..<count]
            headEnd = received.firstRange(of: separator)?.upperBound
        }

        let head = String(decoding: received[0..<headEnd!], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let contentLength =
            lines
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        while received.count - headEnd! < contentLength {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else {
                return nil
            }
            received += buffer[0..<count]
        }
        return lines.first
    }
}

/// A TCP port of 127.0.0.1 that is bound but not listening, so the kernel
/// refuses connections to it. The port stays reserved until ``close()``.
final class ClosedPort {
    let port: UInt16
    private let socketDescriptor: Int32

    init() throws {
        socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else {
            throw EmulatorError("socket() failed with errno \(errno)")
        }
        port = try bindLoopback(socketDescriptor)
    }

    func close() {
        closeDescriptor(socketDescriptor)
    }
}

/// Binds a socket to 127.0.0.1 on a port the kernel picks and returns the port.
private func bindLoopback(_ descriptor: Int32) throws -> UInt16 {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)

    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else {
        throw EmulatorError("bind() to 127.0.0.1 failed with errno \(errno)")
    }
    let named = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else {
        throw EmulatorError("getsockname() failed with errno \(errno)")
    }
    return UInt16(bigEndian: address.sin_port)
}

private func closeDescriptor(_ descriptor: Int32) {
    close(descriptor)
}

/// Writes every byte, with MSG_NOSIGNAL so that a client that has gone away
/// gives an error instead of a SIGPIPE that would end the test process.
private func writeAll(_ connection: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes {
            send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        if written <= 0 {
            return
        }
        offset += written
    }
}
