import CustodyAPI
import Foundation
import Glibc
import Testing

/// Bad things that happen to a station: a pulled cable, a full disk, a bad config, a second
/// daemon, a crash that leaves the store and the catalog out of step.
@Suite("Failures end to end", .serialized)
struct FailureEndToEndTests {
    @Test("a camera yanked mid-copy leaves the dump interrupted with a reason, nothing partial, and resumes when plugged in again")
    func yankAndResume() throws {
        // Small group commits, so clips are acknowledged a few at a time and the yank lands mid-dump.
        let harness = try DaemonHarness(extraConfig: "group_commit_files = 4")
        let fixture = CameraFixture.standard(clipCount: 40, payloadBytes: 1_500_000...2_500_000, seed: 91)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: max(128, fixture.recommendedImageSizeMB), label: nil)
        try harness.start()
        let point = harness.mediaRoot.appendingPathComponent("cam1")
        let mount = try FuseMount.mountFAT(image: image, at: point)
        // The camera answers in short bursts until a first batch is cataloged, so the yank lands
        // mid-dump however fast the ingest or slow the machine (polling alone lost that race on a
        // loaded machine: the whole camera was in before the poll saw three clips).
        kill(mount.pid, SIGSTOP)
        var bursts = 0
        while ((try? harness.status())?.clips.total ?? 0) < 3 && bursts < 3000 {
            kill(mount.pid, SIGCONT)
            usleep(20_000)
            kill(mount.pid, SIGSTOP)  // the camera stops answering at once, then the cable is pulled
            bursts += 1
        }
        try mount.yank()
        #expect(waitUntil(timeout: 30) { (try? harness.dumps().first?.state) == "interrupted" },
                "dump not interrupted: \(String(describing: try? harness.dumps()))")
        let interrupted = try #require(try harness.dumps().first)
        #expect(interrupted.stateReason?.contains("plug it in again") == true, "reason: \(interrupted.stateReason ?? "-")")
        let partial = try harness.clips().count
        #expect(partial < fixture.mediaClips.count)
        #expect(harness.tempFiles.isEmpty, "partial copy left behind: \(harness.tempFiles)")
        #expect(try harness.status().alarms.contains { $0.contains("dump \(interrupted.id)") })

        let again = try FuseMount.mountFAT(image: image, at: point)
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        let dumps = try harness.dumps()
        #expect(dumps.count == 1, "re-mount resumes the same dump")
        #expect(dumps.first?.state == "complete")
        let clips = try harness.clips()
        for spec in fixture.mediaClips {
            let hash = try sha256sum(of: again.mountPoint.appendingPathComponent(spec.relativePath))
            #expect(clips.contains { $0.sha256 == hash }, "\(spec.relativePath) missing after resume")
        }
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
        try again.unmount()
    }

    @Test("a store disk filling up pauses ingest with a clear message before it is full, and space coming back resumes it")
    func diskFull() throws {
        let storeMount = try TempDir(prefix: "custody-store-")
        defer { storeMount.cleanup() }
        try runChecked("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", storeMount.path])
        let harness = try DaemonHarness(extraConfig: "[deadlines]\nscan_seconds = 1\n[capacity]\nwarning_days = 0\ncritical_days = 0", store: storeMount.path + "/store", reserveMB: 4)
        let fixture = CameraFixture.standard(clipCount: 24, payloadBytes: 900_000...1_100_000, seed: 5)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 64, label: nil)
        try harness.start()
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        #expect(waitUntil(timeout: 60) { (try? harness.status())?.ingest.paused == true }, "ingest never paused")
        let paused = try harness.status()
        #expect(paused.ingest.pausedReason?.contains("free space") == true, "reason: \(paused.ingest.pausedReason ?? "-")")
        #expect(try harness.dumps().first?.state == "paused")
        #expect(harness.tempFiles.isEmpty, "a partial file was left while paused")
        let text = String(decoding: try harness.ctl(["status"]).stdout, as: UTF8.self)
        #expect(text.contains("INGEST PAUSED"))
        // The capacity watch says so too: a critical storage alert, raised once.
        #expect(waitUntil(timeout: 15) { (try? harness.status())?.openAlerts?.contains { $0.key == "storage" && $0.level == "critical" } == true },
                "no storage alert: \(String(describing: try? harness.status().openAlerts))")
        #expect(try harness.status().capacity?.paused == true)
        #expect(harness.log().contains("alert=storage"))
        // Every clip cataloged so far is whole.
        for clip in try harness.clips() {
            #expect(try sha256sum(of: URL(fileURLWithPath: storeMount.path + "/store/sha256/\(clip.sha256.prefix(2))/\(clip.sha256.dropFirst(2).prefix(2))/\(clip.sha256)")) == clip.sha256)
        }
        try runChecked("mount", ["-o", "remount,size=96m", storeMount.path])
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        #expect(try harness.status().ingest.paused == false)
        #expect(try harness.dumps().first?.state == "complete")
        #expect(waitUntil(timeout: 15) { (try? harness.status())?.openAlerts?.isEmpty == true }, "the storage alert was not cleared")
        harness.stop()
        try mount.unmount()
    }

    @Test("an unreadable or broken config stops the daemon with a clear message and a non-zero exit")
    func badConfig() throws {
        let missing = try run(DaemonHarness.custodyd, ["--config", "/nonexistent/custodyd.toml"])
        #expect(missing.status == 1)
        #expect(String(decoding: missing.stderr, as: UTF8.self).contains("/nonexistent/custodyd.toml does not exist"))
        let dir = try TempDir()
        defer { dir.cleanup() }
        let broken = dir.appending("broken.toml")
        try "[paths]\nstore = \"s\"\n[policy\n".write(to: broken, atomically: true, encoding: .utf8)
        let result = try run(DaemonHarness.custodyd, ["--config", broken.path])
        #expect(result.status == 1)
        #expect(String(decoding: result.stderr, as: UTF8.self).contains("line 3 is not a table header"), "an unclosed [policy is named by its line")
        let usage = try run(DaemonHarness.custodyd, [])
        #expect(usage.status == 2, "missing --config is a usage error")
    }

    @Test("a second daemon on the same catalog is refused and the first keeps running")
    func secondDaemon() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let second = try run(DaemonHarness.custodyd, ["--config", harness.configPath])
        #expect(second.status == 1)
        #expect(String(decoding: second.stderr, as: UTF8.self).contains("in use by another custodyd"))
        #expect((try? harness.status()) != nil)
        #expect(harness.stop() == 0, "SIGTERM is a graceful, successful stop")
    }

    @Test("after a crash, leftover temp files are removed, a stored file without a row is adopted, a missing file raises an alarm")
    func startupRecovery() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let fixture = CameraFixture.standard(clipCount: 6, seed: 3)
        let tree = harness.dir.appending("tree")
        try fixture.writeTree(to: tree)
        try FileManager.default.createDirectory(at: harness.dropRoot.appendingPathComponent("cam1"), withIntermediateDirectories: true)
        try runChecked("cp", ["-a", tree.path + "/.", harness.dropRoot.appendingPathComponent("cam1").path])
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        harness.crash()

        let victim = try IngestEndToEndTests.sqlite(harness, "SELECT sha256 FROM clip ORDER BY sha256 LIMIT 1")
        #expect(victim.count == 64)
        let store = harness.storeRoot
        let victimPath = "\(store)/sha256/\(victim.prefix(2))/\(victim.dropFirst(2).prefix(2))/\(victim)"
        #expect(unlink(victimPath) == 0)
        try Data("half a clip".utf8).write(to: URL(fileURLWithPath: store + "/tmp/ingest-1-2.part"))
        let orphanBytes = Data("bytes that reached the store before the catalog commit".utf8)
        let orphan = try sha256sum(of: orphanBytes)
        let orphanDir = "\(store)/sha256/\(orphan.prefix(2))/\(orphan.dropFirst(2).prefix(2))"
        try FileManager.default.createDirectory(atPath: orphanDir, withIntermediateDirectories: true)
        try orphanBytes.write(to: URL(fileURLWithPath: orphanDir + "/" + orphan))

        try harness.start()
        #expect(harness.tempFiles.isEmpty)
        let status = try harness.status()
        #expect(status.alarms.contains { $0.contains(victim) && $0.contains("missing") })
        let adopted = try harness.ctlJSON(["clips", "show", orphan], as: ClipDetail.self)
        #expect(adopted.clip.flags.contains("adopted-from-store"))
        #expect(adopted.audit.contains { $0.action == "clip.adopt" })
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'store.missing' AND object = 'clip:\(victim)'") == "1")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }
}
