import CustodyAPI
import Foundation
import Glibc
import Testing

/// Attribution issue, item 8: the everyday friction found on the way, each on the real daemon.
@Suite("Everyday friction end to end", .serialized)
struct FrictionEndToEndTests {
    typealias L = LedgerEndToEndTests

    @Test("a handover keeps its number after check-in; the CLI prints station time whatever TZ says, refusals too")
    func handoverNumberAndStationTime() throws {
        let harness = try DaemonHarness()
        try harness.start()
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康", "--model", "K1"])
        let day = Date().addingTimeInterval(-3 * 86_400)
        let (t0, t1, t2) = (day, day.addingTimeInterval(10 * 3600), day.addingTimeInterval(24 * 3600))
        let minute = "yyyy-MM-dd HH:mm"
        let out = try harness.ctlJSON(["devices", "checkout", "A7K2931", "--officer", "010203", "--at", L.wall(t0, minute)], as: HandoverItem.self)
        let back = try harness.ctlJSON(["devices", "checkin", "A7K2931", "--at", L.wall(t1, minute)], as: HandoverItem.self)
        #expect(back.id == out.id, "check-in keeps the handover's number (\(out.id) → \(back.id))")
        #expect(try harness.ctlJSON(["handovers", "list"], as: [HandoverItem].self).map(\.id) == [out.id])

        let newYork = ["TZ": "America/New_York"]
        let shown = String(decoding: try harness.ctl(["devices", "show", "A7K2931"], env: newYork).stdout, as: UTF8.self)
        #expect([t0, t1].allSatisfy { shown.contains(L.wall($0, minute)) } && shown.contains("times: Asia/Shanghai (+08:00)"), "\(shown)")
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203", "--at", L.wall(t2, minute)])
        let early = t2.addingTimeInterval(-3600)
        let refused = try harness.ctl(["devices", "checkin", "A7K2931", "--at", L.wall(early, minute)], env: newYork)
        #expect(refused.status == 1 && String(decoding: refused.stderr, as: UTF8.self).contains("\(L.wall(early, minute)) is not after the check-out \(L.wall(t2, minute))"),
                "\(String(decoding: refused.stderr, as: UTF8.self))")
        harness.stop()
    }

    @Test("imports refuse a keeper not in the ledger and warn about a badge that lost its leading zeros; a case handler must be in the ledger")
    func importChecks() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let file = harness.dir.appending("ledger.csv")
        try Data("警号,姓名,所属单位,状态\r\n10203,张三,一中队,在职\r\n010204,李四,一中队,在职\r\n".utf8).write(to: file)
        let officers = try APICoding.decoder().decode(ImportReport.self, from: try harness.ctl(["officers", "import", file.path, "--json"]).stdout)
        #expect(officers.accepted && officers.warnings?.map(\.line) == [2], "\(officers)")
        let text = String(decoding: try harness.ctl(["officers", "import", file.path, "--dry-run"]).stdout, as: UTF8.self)
        #expect(text.contains("WARNING line 2") && text.contains("010203"), "\(text)")
        try Data("产品序号,品牌,型号,所属单位,保管人警号,状态\r\nA7K2931,海康,K1,一中队,010299,在用\r\n".utf8).write(to: file)
        let devices = try harness.ctl(["devices", "import", file.path, "--json"])
        let report = try APICoding.decoder().decode(ImportReport.self, from: devices.stdout)
        #expect(devices.status == 1 && report.errors.map(\.line) == [2] && report.errors[0].reason.contains("keeper 010299"), "\(report.errors)")
        let handler = try harness.ctl(["cases", "add", "A-2026-7", "--title", "案", "--handler", "010299"])
        #expect(handler.status == 1 && String(decoding: handler.stderr, as: UTF8.self).contains("010299 is not in the ledger"))
        harness.stop()
    }

    @Test("a refused stick is one dump row however often the daemon restarts")
    func refusedStickOnce() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let stick = CameraFixture(badge: "", serial: "", clips: [CameraClipSpec(relativePath: "REPORTS/minutes.docx", bytes: Array(repeating: 7, count: 5000))])
        let image = harness.dir.appending("stick.img")
        try stick.makeFAT32Image(at: image, sizeMB: 40, label: nil)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("stick"))
        defer { try? mount.unmount() }
        #expect(waitUntil(timeout: 30) { (try? harness.dumps())?.first?.state == "refused" })
        for _ in 0..<2 {
            harness.stop()
            try harness.start()
            Thread.sleep(forTimeInterval: 2)
        }
        let dumps = try harness.dumps()
        #expect(dumps.count == 1 && dumps[0].state == "refused", "\(dumps.map { ($0.id, $0.state) })")
        harness.stop()
    }

    @Test("progress moves within a large file (bytes before the file is done)")
    func progressWithinAFile() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let tree = try harness.dir.subdirectory("big")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("DCIM/100MEDIA"), withIntermediateDirectories: true)
        let name = "DCIM/100MEDIA/010203_A7K2931_20261127083015_0001.MP4"
        try runChecked("dd", ["if=/dev/urandom", "of=\(tree.appendingPathComponent(name).path)", "bs=1M", "count=96", "status=none"])
        let image = harness.dir.appending("big.img")
        try CameraFixture.makeFAT32Image(from: tree, at: image, sizeMB: 160, label: nil)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        defer { kill(mount.pid, SIGCONT); try? mount.unmount() }
        var seen: DumpItem?
        // Freeze the camera now and then and look: the one file is being read, so any bytes done are within it.
        _ = waitUntil(timeout: 60) {
            kill(mount.pid, SIGSTOP)
            defer { kill(mount.pid, SIGCONT) }
            guard let dump = try? harness.dumps().first, dump.state == "copying" else { return false }
            if dump.filesDone == 0 && dump.bytesDone > 0 { seen = dump }
            return seen != nil || dump.filesDone > 0
        }
        let partial = try #require(seen, "no progress was seen before the file was done")
        #expect(partial.bytesDone < 96 << 20 && (partial.bytesPerSecond ?? 0) > 0)
        try harness.waitForIngest(clips: 1)
        harness.stop()
    }

    @Test("custodyctl watch says when the daemon went away and reconnects when it is back")
    func watchReconnects() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let output = harness.dir.appending("watch.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: DaemonHarness.custodyctl)
        watcher.arguments = ["--socket", harness.socketPath, "watch"]
        watcher.standardOutput = try FileHandle(forWritingTo: output)
        try watcher.run()
        defer { if watcher.isRunning { watcher.terminate(); watcher.waitForExit() } }
        func printed() -> String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        #expect(waitUntil(timeout: 10) { printed().contains("watching custodyd") })
        harness.stop()
        #expect(waitUntil(timeout: 10) { printed().contains("custodyd went away at") }, "\(printed())")
        try harness.start()
        #expect(waitUntil(timeout: 10) { printed().contains("reconnected to custodyd at") }, "\(printed())")
        #expect(watcher.isRunning)
        harness.stop()
    }
}
