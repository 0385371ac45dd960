import Dispatch
import Foundation
import FuzzSupport
import Glibc

/// Any bytes as what a client sends on one admin-API connection (several pipelined requests,
/// perhaps), written to the daemon's real admin server (Hummingbird, `AdminServer`) on its Unix
/// socket, over a real catalog and store. Every request is answered or the connection closed;
/// never a crash, and never a 5xx (an error no handler turned into a refusal the caller can act on).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let answer = exchange(UnsafeRawBufferPointer(start: data, count: size), socketPath: Station.shared.socketPath)
    for status in ResponseScan.statuses(in: answer) {
        if tracing { FileHandle.standardError.write(Data("-> \(status.code) \(status.message.prefix(300))\n".utf8)) }
        if status.code >= 500 {
            fatalError("the admin server answered \(status.code): \(status.message)")
        }
    }
    return 0
}

/// `FUZZ_HTTP_TRACE=1`: each answer's status on stderr, with the body of a refusal.
private let tracing = ProcessInfo.processInfo.environment["FUZZ_HTTP_TRACE"] == "1"

/// Sends `bytes` on a new connection, half-closes, and reads what comes back until the server
/// closes, goes quiet for 10 s (a slow disc burn answers within that), or starts the event stream
/// (which never ends; the daemon gives the connection to it for good).
private func exchange(_ bytes: UnsafeRawBufferPointer, socketPath: String) -> [UInt8] {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { fatalError("socket: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(socketPath.utf8)) }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard connected == 0 else { fatalError("connect \(socketPath): errno \(errno)") }
    var sent = 0
    while sent < bytes.count {
        let n = send(fd, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
        guard n > 0 else { break }  // the server closed (a parse error): read its answer
        sent += n
    }
    shutdown(fd, Int32(SHUT_WR))
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 10_000) > 0 else { break }
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n > 0 else { break }
        answer += buffer[0..<n]
        if ResponseScan.startsEventStream(answer) { break }
    }
    return answer
}

@_cdecl("FuzzHTTP_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzHTTP)
}
