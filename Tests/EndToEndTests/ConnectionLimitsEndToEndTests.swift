import CustodyAPI
import Foundation
import Glibc
import Testing

/// Availability issue (#18), item 1: no local user can starve the daemon of descriptors. Every
/// connection is admitted or refused as it is accepted (`ConnectionGate`): a real Unix user
/// (`useradd`) holding 1,100 half-sent requests gets 64, the rest a 503 at once, audited once.
@Suite("Connection limits end to end", .serialized)
struct ConnectionLimitsEndToEndTests {
    /// Holds `n` connections that each send a request head's first lines and never finish it;
    /// every one the daemon closes (refused at once, or timed out) is opened again, until stdin
    /// closes. Prints how many of the first `n` were refused with a 503.
    static let hog = """
        import resource, socket, sys, time, os
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
        path, n = sys.argv[1], int(sys.argv[2])
        def hold():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            try: s.sendall(b"GET /v1/status HTTP/1.1\\r\\nHost: x\\r\\n")
            except OSError: pass
            s.setblocking(False)
            return s
        held = [hold() for _ in range(n)]
        time.sleep(2)
        def closed(s):
            try:
                data = s.recv(4096)
                return data
            except BlockingIOError: return None
            except OSError: return b""
        answers = [closed(s) for s in held]
        print("opened", len(held), "refused", sum(1 for a in answers if a and a.startswith(b"HTTP/1.1 503")), flush=True)
        os.set_blocking(0, False)
        while True:
            try:
                if sys.stdin.buffer.read() == b"": break
            except (BlockingIOError, TypeError): pass
            for i, s in enumerate(held):
                if closed(s) is not None:
                    s.close()
                    held[i] = hold()
            time.sleep(2)
        """

    /// One line a helper printed (read up to its newline, or its end).
    static func line(from pipe: Pipe) -> String {
        var bytes = Data()
        while bytes.last != 0x0A {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            bytes += chunk
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func descriptors(_ pid: Int32) -> (all: Int, sockets: Int) {
        let dir = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let sockets = names.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + $0))?.hasPrefix("socket:") == true }
        return (names.count, sockets.count)
    }

    @Test("1,100 idle connections of one user while a camera docks: the excess is refused at once and audited once, the camera is ingested, status answers, and the daemon is back to its idle descriptors when the user leaves")
    func connectionFlood() throws {
        let users = UnixUsers()
        let attacker = try users.add("c18x")
        let harness = try DaemonHarness()
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        let pid = try #require(harness.process?.processIdentifier)
        _ = try harness.status()
        let idle = Self.descriptors(pid)

        let hog = Process()
        hog.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        hog.arguments = ["--reuid=\(attacker.uid)", "--regid=\(attacker.gid)", "--init-groups", "/usr/bin/python3", "-c", Self.hog, harness.socketPath, "1100"]
        let (input, output) = (Pipe(), Pipe())
        hog.standardInput = input
        hog.standardOutput = output
        try hog.run()
        defer { if hog.isRunning { kill(hog.processIdentifier, SIGKILL); hog.waitUntilExit() } }
        let first = Self.line(from: output)
        let refused = Int(first.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(first.hasPrefix("opened 1100"), "\(first)")
        #expect(refused >= 1100 - 64, "only \(refused) of 1,100 connections of one user were refused: \(first)")

        let fixture = CameraFixture.standard(clipCount: 12, seed: 1801)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: max(64, fixture.recommendedImageSizeMB), label: nil)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        defer { try? mount.unmount() }
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        let status = try harness.status()
        #expect(status.clips.total == fixture.mediaClips.count)
        let during = Self.descriptors(pid)

        try input.fileHandleForWriting.close()
        hog.waitUntilExit()
        var after = Self.descriptors(pid)
        for _ in 0..<60 where after.sockets > idle.sockets {
            Thread.sleep(forTimeInterval: 0.5)
            after = Self.descriptors(pid)
        }
        #expect(after.sockets <= idle.sockets, "sockets: idle \(idle.sockets), during \(during.sockets), after \(after.sockets)")
        print("descriptors (all/sockets): idle \(idle.all)/\(idle.sockets), under 1,100 connections \(during.all)/\(during.sockets), after \(after.all)/\(after.sockets); refused at once: \(refused)")
        let rows = try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND object = 'connect' AND actor LIKE 'uid:\(attacker.uid)%'")
        #expect(["1", "2"].contains(rows), "\(rows) audit rows for one user's refused connections in about a minute")
        #expect(harness.stop() == 0)
    }

    /// Connects without blocking until the kernel answers EAGAIN (the daemon's queue of connections
    /// not yet accepted is full), prints how many it queued, and holds them until stdin closes.
    static let filler = """
        import resource, socket, sys
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
        held = []
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.connect(sys.argv[1])
            except BlockingIOError:
                s.close()
                break
            held.append(s)
        print("queued", len(held), flush=True)
        sys.stdin.buffer.read()
        """

    @Test("while the daemon's connection queue is full, custodyctl waits instead of failing at once, and gets through once it drains")
    func fullQueue() throws {
        let users = UnixUsers()
        let flooder = try users.add("c18q")
        let harness = try DaemonHarness()
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        let pid = try #require(harness.process?.processIdentifier)
        _ = try harness.status()
        kill(pid, SIGSTOP)  // the daemon accepts nothing, so its queue fills
        var stopped = true
        defer { if stopped { kill(pid, SIGCONT) } }

        let filler = Process()
        filler.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        filler.arguments = ["--reuid=\(flooder.uid)", "--regid=\(flooder.gid)", "--init-groups", "/usr/bin/python3", "-c", Self.filler, harness.socketPath]
        let (input, output) = (Pipe(), Pipe())
        filler.standardInput = input
        filler.standardOutput = output
        try filler.run()
        defer { if filler.isRunning { kill(filler.processIdentifier, SIGKILL); filler.waitUntilExit() } }
        let queued = Self.line(from: output)
        try #require(queued.hasPrefix("queued "), "the filler: \(queued)")

        let ctl = Process()
        ctl.executableURL = URL(fileURLWithPath: DaemonHarness.custodyctl)
        ctl.arguments = ["--socket", harness.socketPath, "status"]
        let (ctlOut, ctlErr) = (Pipe(), Pipe())
        ctl.standardOutput = ctlOut
        ctl.standardError = ctlErr
        try ctl.run()
        Thread.sleep(forTimeInterval: 1)
        #expect(ctl.isRunning, "custodyctl gave up at once on a full queue")

        try input.fileHandleForWriting.close()
        filler.waitUntilExit()
        kill(pid, SIGCONT)
        stopped = false
        let out = ctlOut.fileHandleForReading.readDataToEndOfFile(), err = ctlErr.fileHandleForReading.readDataToEndOfFile()
        ctl.waitUntilExit()
        #expect(ctl.terminationStatus == 0, "custodyctl status after the queue drained: \(String(decoding: err, as: UTF8.self))")
        #expect(!out.isEmpty)
        print("connections queued before custodyctl: \(queued.trimmingCharacters(in: .whitespacesAndNewlines))")
        #expect(harness.stop() == 0)
    }
}
