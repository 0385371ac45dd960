import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One GET over the daemon's Unix socket, as `custodyctl` makes it: a new connection, the
/// request, the whole answer read until the daemon closes. Timed from connect to the last byte.
struct SocketGet {
    let socketPath: String

    func get(_ target: String) throws -> (status: Int, bytes: Int) {
        let (status, body) = try getBody(target)
        return (status, body.count)
    }

    /// The status and the body (after the header) of one answer.
    func getBody(_ target: String) throws -> (status: Int, body: [UInt8]) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { throw BenchError("socket path too long: \(socketPath)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.enumerated() { raw[i] = b }
            raw[path.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw BenchError("connect \(socketPath): \(String(cString: strerror(errno)))") }
        let request = Array("GET \(target) HTTP/1.1\r\nHost: custody\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("send: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw BenchError("recv: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            answer += buffer[0..<n]
        }
        // "HTTP/1.1 200 OK"
        let line = String(decoding: answer.prefix(32), as: UTF8.self)
        let status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let end = answer.indices.dropLast(3).first { answer[$0] == 13 && answer[$0 + 1] == 10 && answer[$0 + 2] == 13 && answer[$0 + 3] == 10 }
        return (status, end.map { Array(answer[($0 + 4)...]) } ?? [])
    }
}

/// Latencies of one kind of request, in milliseconds.
struct LatencySample {
    var name: String
    var target: String?
    var millis: [Double] = []
    var bytes = 0

    func percentile(_ p: Double) -> Double {
        let sorted = millis.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// `CatalogBench measure`: times each request kind N times after a warm-up, and prints the table.
struct LatencyRun {
    struct Case {
        var name: String
        /// Targets for request i (varied: another officer, another month).
        var target: (Int) -> String
        var limitMillis: Double?
        var requests: Int
    }

    let socket: SocketGet
    let warmup: Int

    func measure(_ c: Case) throws -> LatencySample {
        var sample = LatencySample(name: c.name)
        let clock = ContinuousClock()
        for i in 0..<(warmup + c.requests) {
            let target = c.target(i)
            let began = clock.now
            let (status, bytes) = try socket.get(target)
            let took = (clock.now - began).seconds * 1000
            guard status == 200 else { throw BenchError("\(target) answered \(status)") }
            if i >= warmup { sample.millis.append(took); sample.bytes = bytes; sample.target = target }
        }
        return sample
    }

    static func table(_ rows: [(LatencySample, Double?)]) -> String {
        var lines = ["| request | n | p50 ms | p99 ms | max ms | answer | target | |", "|---|---:|---:|---:|---:|---:|---|---|"]
        for (s, limit) in rows {
            let p99 = s.percentile(99)
            let verdict = limit.map { p99 < $0 ? "pass" : String(format: "MISS (%.1f×)", p99 / $0) } ?? ""
            let ms = { (v: Double) in String(format: "%.1f", v) }
            let target = limit.map { "p99 < " + ($0 >= 1000 ? String(format: "%.0f s", $0 / 1000) : String(format: "%.0f ms", $0)) } ?? "—"
            lines.append("| \(s.name) | \(s.millis.count) | \(ms(s.percentile(50))) | \(ms(p99)) | \(ms(s.millis.max() ?? .nan)) | "
                         + "\(Self.size(s.bytes)) | \(target) | \(verdict) |")
        }
        return lines.joined(separator: "\n")
    }

    static func size(_ bytes: Int) -> String {
        bytes < 10_240 ? "\(bytes) B" : bytes < 10 << 20 ? String(format: "%.0f KiB", Double(bytes) / 1024)
            : String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
