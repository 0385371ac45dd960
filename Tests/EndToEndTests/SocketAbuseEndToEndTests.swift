import CustodyAPI
import Foundation
import Glibc
import Testing

/// Socket abuse (reliability issue, item 7): malformed HTTP, huge headers and bodies, slow
/// clients, 200 concurrent connections and unknown routes, all while a camera is ingested.
/// Expected: every request is answered or its connection closed, ingest completes, memory stays flat.
@Suite("Socket abuse end to end", .serialized)
struct SocketAbuseEndToEndTests {
    static let abuse = """
        import socket, sys, threading, time
        path = sys.argv[1]
        def conn():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(10); s.connect(path); return s
        def exchange(data):
            s = conn()
            try:
                s.sendall(data)
                out = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk: break
                    out += chunk
                return out
            except (ConnectionResetError, BrokenPipeError):
                return b"<reset>"
            finally:
                s.close()
        results = {}
        results["garbage"] = exchange(b"\\x00\\xff\\x13 NOT HTTP AT ALL\\r\\n\\r\\n")
        results["bad-method-line"] = exchange(b"GET\\r\\n\\r\\n")
        results["huge-header"] = exchange(b"GET /v1/status HTTP/1.1\\r\\nHost: x\\r\\nX-Big: " + b"a" * 200000 + b"\\r\\n\\r\\n")
        results["unknown-route"] = exchange(b"GET /v1/../../etc/passwd HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
        results["bad-json"] = exchange(b"POST /v1/officers HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nConnection: close\\r\\n\\r\\n{nope")
        # Slow clients: hold half-sent requests open while others are served.
        slow = []
        for _ in range(20):
            s = conn(); s.sendall(b"GET /v1/status HTTP/1.1\\r\\nHost: x\\r\\n"); slow.append(s)
        answered = []
        def status():
            r = exchange(b"GET /v1/status HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
            answered.append(r.startswith(b"HTTP/1.1 200"))
        threads = [threading.Thread(target=status) for _ in range(200)]
        for t in threads: t.start()
        for t in threads: t.join()
        for s in slow: s.close()
        for name, r in results.items():
            print(name, r.split(b"\\r\\n", 1)[0].decode("latin-1") if r else "<closed>")
        print("concurrent", sum(answered), len(answered))
        """

    static func rssKiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test("malformed HTTP, huge headers, slow clients, 200 concurrent connections and unknown routes: answered or closed, ingest goes on, memory flat")
    func abuse() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let pid = try #require(harness.process?.processIdentifier)
        let fixture = CameraFixture.standard(clipCount: 20, payloadBytes: 300_000...900_000, seed: 41)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 48, label: nil)
        let before = Self.rssKiB(pid)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        var lastRound = ""
        for _ in 0..<3 {
            let result = try run("python3", ["-c", Self.abuse, harness.socketPath])
            lastRound = String(decoding: result.stdout, as: UTF8.self)
            #expect(result.status == 0, "abuse client failed: \(String(decoding: result.stderr, as: UTF8.self))")
        }
        let lines = Dictionary(lastRound.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }, uniquingKeysWith: { a, _ in a })
        #expect(lines["concurrent"] == "200 200", "\(lastRound)")
        #expect(lines["unknown-route"]?.contains("404") == true || lines["unknown-route"]?.contains("400") == true, "\(lastRound)")
        #expect(lines["bad-json"]?.contains("400") == true, "\(lastRound)")
        #expect(lines["garbage"]?.contains("200") != true && lines["huge-header"]?.contains("200") != true, "\(lastRound)")
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        #expect(try harness.ctlJSON(["fsck"], as: FsckReport.self).consistent)
        let after = Self.rssKiB(pid)
        #expect(after - before < 32 * 1024, "RSS grew from \(before) KiB to \(after) KiB")
        #expect(harness.process?.isRunning == true)
        harness.stop()
        try mount.unmount()
    }
}
