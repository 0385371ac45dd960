import CustodyAPI
import Foundation
import Glibc
import Testing

/// What the systems administrator relies on: sd_notify, the socket contract, refusals.
@Suite("Daemon as a service", .serialized)
struct ServiceEndToEndTests {
    /// A datagram socket standing in for systemd's notification socket.
    final class NotifySocket {
        let fd: Int32
        let path: String
        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let ok = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard ok == 0 else { throw TestSupportError("bind \(path): errno \(errno)") }
        }
        deinit { close(fd); unlink(path) }

        /// Messages received within `timeout` seconds.
        func messages(timeout: Double) -> [String] {
            var out: [String] = []
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 100) > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { out.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
            return out
        }
    }

    @Test("custodyd tells systemd READY=1 with a STATUS once its socket listens, and pets the watchdog")
    func sdNotify() throws {
        let harness = try DaemonHarness()
        let notify = try NotifySocket(path: harness.dir.appending("notify.sock").path)
        try harness.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"])
        let messages = notify.messages(timeout: 1.5)
        #expect(messages.contains { $0.contains("READY=1") && $0.contains("STATUS=") })
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 2)
        harness.stop()
    }

    @Test("the socket speaks HTTP/1.1 JSON to curl, answers unknown routes and writes with clear errors, and is mode 0660")
    func curlOverSocket() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let status = try run("curl", ["-sS", "--unix-socket", harness.socketPath, "http://custody/v1/status"])
        #expect(status.status == 0)
        let decoded = try APICoding.decoder().decode(StatusResponse.self, from: status.stdout)
        #expect(decoded.version.isEmpty == false && decoded.ingest.active == 0 && decoded.clips.total == 0)
        let unknown = try run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", harness.socketPath, "http://custody/v1/nope"])
        #expect(String(decoding: unknown.stdout, as: UTF8.self) == "404")
        let post = try run("curl", ["-s", "-w", "\n%{http_code}", "-X", "DELETE", "--unix-socket", harness.socketPath, "http://custody/v1/clips"])
        #expect(String(decoding: post.stdout, as: UTF8.self).hasSuffix("405"))
        // Refused writes are audited.
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND object = 'DELETE /v1/clips'") == "1")
        // A body over the limit is refused whole, never cut off and acted on.
        let big = harness.dir.appending("big.csv")
        try Data(repeating: 0x41, count: 33 << 20).write(to: big)
        let tooLarge = try run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", harness.socketPath,
                                        "--data-binary", "@" + big.path, "http://custody/v1/import/officers"])
        #expect(String(decoding: tooLarge.stdout, as: UTF8.self) == "413")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND detail LIKE '%over 32 MiB%'") == "1")
        var st = stat()
        #expect(stat(harness.socketPath, &st) == 0 && st.st_mode & 0o777 == 0o660)
        harness.stop()
    }

    @Test("a user who is not a viewer is refused, and the refusal is audited with who asked")
    func nonViewerRefused() throws {
        let harness = try DaemonHarness()
        try harness.start()
        // Let an unprivileged user reach the socket file so the daemon, not the kernel, decides.
        chmod(harness.dir.path, 0o755)
        chmod(harness.socketPath, 0o666)
        let result = try run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                         DaemonHarness.custodyctl, "--socket", harness.socketPath, "status"])
        #expect(result.status == 1)
        #expect(String(decoding: result.stderr, as: UTF8.self).contains("is not a viewer"))
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT actor FROM audit WHERE action = 'api.refused'").hasPrefix("uid:65534"))
        harness.stop()
    }

    @Test("a plain USB stick with no camera structure is refused with a visible reason and nothing is copied")
    func plainStickRefused() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let tree = harness.dir.appending("stick")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("Documents"), withIntermediateDirectories: true)
        try Data("quarterly report".utf8).write(to: tree.appendingPathComponent("Documents/report.docx"))
        let image = harness.dir.appending("stick.img")
        try CameraFixture.makeFAT32Image(from: tree, at: image, sizeMB: 40, label: nil)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("stick"))
        #expect(waitUntil(timeout: 30) { (try? harness.dumps().first?.state) == "refused" })
        let dump = try #require(try harness.dumps().first)
        #expect(dump.stateReason?.contains("not a body camera") == true)
        #expect(try harness.status().clips.total == 0)
        #expect(harness.log().contains("medium refused"))
        try mount.unmount()
        harness.stop()
    }
}
