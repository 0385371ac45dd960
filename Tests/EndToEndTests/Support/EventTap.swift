import Foundation
import Glibc
import Synchronization

/// Listens to `GET /v1/events` on the daemon's socket from a thread of the test process (no
/// child process: a backgrounded curl keeps Foundation's Process from noticing its parent exit).
final class EventTap: Sendable {
    private struct State { var received = Data(); var running = true }
    private let state = Mutex(State())
    private let fd: Int32

    init(socketPath: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(socketPath.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { close(fd); throw TestSupportError("cannot connect to \(socketPath)") }
        let request = "GET /v1/events HTTP/1.1\r\nHost: custodyd\r\n\r\n"
        _ = request.withCString { write(fd, $0, strlen($0)) }
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, 200)
                let more = state.withLock { $0.running }
                if !more { return }
                if ready <= 0 { continue }
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { return }
                state.withLock { $0.received.append(contentsOf: buffer[0..<n]) }
            }
        }
    }

    /// Everything received so far (HTTP head and chunked framing included).
    var text: String { state.withLock { String(decoding: $0.received, as: UTF8.self) } }

    func stop() {
        state.withLock { $0.running = false }
        Thread.sleep(forTimeInterval: 0.3)
        close(fd)
    }
}
