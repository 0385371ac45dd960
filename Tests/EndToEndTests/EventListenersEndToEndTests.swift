import CustodyAPI
import Foundation
import Glibc
import Testing

/// Availability issue (#18), item 3: event listeners that do not read are cut off with a bounded
/// buffer each (`EventHub`), never buffered without limit (40 of them grew the daemon to 496 MB).
@Suite("Slow event listeners end to end", .serialized)
struct EventListenersEndToEndTests {
    /// Opens `n` event streams and reads nothing until a line on stdin; then reads each to its
    /// end (at most 40 s in all) and prints how many ended and how many ended with "missed".
    static let listeners = """
        import socket, sys, time
        path, n = sys.argv[1], int(sys.argv[2])
        conns = []
        for _ in range(n):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path)
            s.sendall(b"GET /v1/events HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"); conns.append(s)
        print("listening", flush=True)
        sys.stdin.readline()
        deadline = time.time() + 40
        ended = missed = 0
        sizes = []
        for s in conns:
            data = b""
            try:
                while True:
                    s.settimeout(max(0.1, deadline - time.time()))
                    chunk = s.recv(1 << 20)
                    if not chunk:
                        ended += 1
                        break
                    data += chunk
            except OSError: pass
            if b'"type":"missed"' in data: missed += 1
            sizes.append(len(data))
        print("ended", ended, "missed", missed, "bytes", sizes, flush=True)
        """

    @Test("40 event listeners that never read during a 3,000-file ingest are cut off, and the daemon's memory stays under 128 MB")
    func slowListeners() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let pid = try #require(harness.process?.processIdentifier)
        let listeners = Process()
        listeners.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        listeners.arguments = ["-c", Self.listeners, harness.socketPath, "40"]
        let (input, output) = (Pipe(), Pipe())
        listeners.standardInput = input
        listeners.standardOutput = output
        try listeners.run()
        defer { if listeners.isRunning { kill(listeners.processIdentifier, SIGKILL); listeners.waitUntilExit() } }
        #expect(ConnectionLimitsEndToEndTests.line(from: output).hasPrefix("listening"))
        let before = SocketAbuseEndToEndTests.rssKiB(pid)

        let fixture = CameraFixture.standard(clipCount: 3000, payloadBytes: 1_000...3_000, seed: 1804)
        let tree = harness.dir.appending("tree")
        try fixture.writeTree(to: tree)
        try FileManager.default.createDirectory(at: harness.dropRoot.appendingPathComponent("cam1"), withIntermediateDirectories: true)
        try runChecked("cp", ["-a", tree.path + "/.", harness.dropRoot.appendingPathComponent("cam1").path])
        var peak = before
        var status = try harness.status()
        for _ in 0..<1200 where status.clips.total < fixture.mediaClips.count || status.ingest.active > 0 {
            Thread.sleep(forTimeInterval: 0.5)
            peak = max(peak, SocketAbuseEndToEndTests.rssKiB(pid))
            status = try harness.status()
        }
        #expect(status.clips.total == fixture.mediaClips.count)

        try input.fileHandleForWriting.write(contentsOf: Data("read\n".utf8))
        listeners.waitUntilExit()
        let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        print("RSS \(before) KiB before, peak \(peak) KiB during the ingest with 40 listeners not reading; listeners: \(result)")
        #expect(peak < 128 * 1024, "RSS peaked at \(peak) KiB")
        #expect(result.hasPrefix("ended 40"), "every listener that fell behind is cut off: \(result)")
        #expect(harness.stop() == 0)
    }
}
