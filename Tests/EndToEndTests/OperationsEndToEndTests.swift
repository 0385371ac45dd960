import CustodyAPI
import Foundation
import Glibc
import Testing

/// What the systems administrator and the clerk see while the daemon works.
@Suite("Operations end to end", .serialized)
struct OperationsEndToEndTests {
    @Test("GET /metrics is valid Prometheus text (checked by the reference prometheus_client parser) with ingest counters")
    func metrics() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let fixture = CameraFixture.standard(clipCount: 6, seed: 21)
        let tree = harness.dir.appending("tree")
        try fixture.writeTree(to: tree)
        try runChecked("cp", ["-r", tree.path, harness.dropRoot.appendingPathComponent("cam1").path])
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        let text = try run("curl", ["-sS", "--unix-socket", harness.socketPath, "http://custody/metrics"])
        #expect(text.status == 0)
        let parse = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            samples = {s.name: s.value for f in text_string_to_metric_families(sys.stdin.read()) for s in f.samples}
            for name in sorted(samples): print(name, samples[name])
            """
        let parsed = try run("python3", ["-c", parse], stdin: text.stdout)
        #expect(parsed.status == 0, "not valid Prometheus text: \(String(decoding: parsed.stderr, as: UTF8.self))")
        let values = Dictionary(String(decoding: parsed.stdout, as: UTF8.self).split(separator: "\n").compactMap { line -> (String, Double)? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { return nil }
            return (String(parts[0]), value)
        }, uniquingKeysWith: { a, _ in a })
        #expect(values["custody_clips_ingested_total"] == Double(fixture.mediaClips.count))
        #expect(values["custody_ingested_bytes_total"] == Double(fixture.mediaClips.reduce(0) { $0 + $1.bytes.count }))
        #expect(values["custody_ingest_seconds_count"] == Double(fixture.mediaClips.count))
        #expect((values["custody_store_free_bytes"] ?? 0) > 0)
        #expect(values["custody_dumps_active_count"] == 0)
        #expect(values["custody_verification_failures_total"] == 0)
        #expect(values["custody_clips_count"] == Double(fixture.mediaClips.count))
        harness.stop()
    }

    @Test("custodyctl watch streams per-dump progress and the dump's end, and --until-idle returns by itself")
    func watch() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let output = harness.dir.appending("watch.jsonl")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: DaemonHarness.custodyctl)
        watcher.arguments = ["--socket", harness.socketPath, "watch", "--json"]
        watcher.standardOutput = try FileHandle(forWritingTo: output)
        try watcher.run()
        defer { if watcher.isRunning { watcher.terminate() } }
        Thread.sleep(forTimeInterval: 0.5)
        let fixture = CameraFixture.standard(clipCount: 8, seed: 22)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 40, label: nil)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        #expect(waitUntil(timeout: 10) { ((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains("\"complete\"") })
        watcher.terminate()
        watcher.waitForExit()
        let events = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
            .compactMap { try? APICoding.decoder().decode(EventItem.self, from: Data($0.utf8)) }
        #expect(events.first?.type == "hello")
        #expect(events.contains { $0.type == "dump" && $0.message == "started" })
        let scanning = events.firstIndex { $0.type == "scanning" }
        let started = events.firstIndex { $0.type == "dump" && $0.message == "started" }
        #expect(scanning != nil && started != nil && scanning! < started!, "the scan is announced before the dump, so --until-idle waits for it")
        let progress = events.filter { $0.type == "progress" }.compactMap(\.dump)
        #expect(progress.count >= fixture.clips.count, "one progress event per file at least")
        #expect(progress.last?.filesDone == Int64(fixture.clips.count))
        #expect(events.last { $0.type == "dump" }?.message == "complete")
        // With nothing going on, --until-idle returns at once (the clerk's "is anything still copying?").
        let idle = try harness.ctl(["watch", "--until-idle"])
        #expect(idle.status == 0)
        try mount.unmount()
        harness.stop()
    }

    @Test("usage errors exit 2 and LANG=zh_CN gives the clerk Chinese")
    func usageAndChinese() throws {
        let harness = try DaemonHarness()
        try harness.start()
        #expect(try run(DaemonHarness.custodyctl, ["--no-such-option"]).status == 2)
        #expect(try run(DaemonHarness.custodyd, []).status == 2)
        let zh = try harness.ctl(["status"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(String(decoding: zh.stdout, as: UTF8.self).contains("声像资料总数"))
        let refused = try harness.ctl(["devices", "checkin", "A7K2931"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(refused.status == 1 && String(decoding: refused.stderr, as: UTF8.self).contains("该设备未被领用"))
        #expect(String(decoding: refused.stderr, as: UTF8.self).contains("未被任何人领用"), "the daemon's own message comes in Chinese too")
        let en = try harness.ctl(["status"], env: ["LANG": "C.UTF-8", "LC_ALL": ""])
        #expect(String(decoding: en.stdout, as: UTF8.self).contains("Clips"))
        harness.stop()
    }
}
