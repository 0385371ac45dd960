import CustodyAPI
import Foundation
import Glibc
import Testing

/// The store disk filling up in the middle of a file (reliability issue, item 4): with the
/// up-front space check switched off (debug builds), another process leaves room for 0 %, 50 %
/// or 99 % of the next clip, so the write itself hits ENOSPC. Expected: the partial copy is
/// removed, ingest pauses with a clear message, nothing partial is cataloged, and freeing the
/// space resumes it.
@Suite("Disk full mid-file end to end", .serialized)
struct DiskFullEndToEndTests {
    @Test("the store disk filling at 0 %, 50 % and 99 % of a file pauses ingest without a partial clip, and it resumes", arguments: [0.0, 0.5, 0.99])
    func fullMidFile(fraction: Double) throws {
        let storeMount = try TempDir(prefix: "custody-full-")
        defer { storeMount.cleanup() }
        try runChecked("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", storeMount.path])
        let harness = try DaemonHarness(store: storeMount.path + "/store", reserveMB: 0)
        try harness.start(environment: ["CUSTODY_TEST_NO_SPACE_PRECHECK": "1"])
        let clipBytes = 4_000_000
        let fixture = CameraFixture.standard(clipCount: 3, payloadBytes: clipBytes...clipBytes, seed: 31)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 40, label: nil)
        // Leave room for `fraction` of one clip.
        var vfs = statvfs()
        #expect(statvfs(storeMount.path, &vfs) == 0)
        let free = Int(vfs.f_bavail) * Int(vfs.f_frsize)
        let filler = storeMount.appending("filler")
        let keep = Int(Double(clipBytes) * fraction)
        try runChecked("fallocate", ["-l", "\(max(4096, free - keep))", filler.path])
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        #expect(waitUntil(timeout: 60) { (try? harness.status())?.ingest.paused == true }, "never paused; log: \(harness.log().suffix(2000))")
        let paused = try harness.status()
        #expect(paused.ingest.pausedReason?.contains("store disk full") == true, "\(paused.ingest.pausedReason ?? "-")")
        #expect(harness.tempFiles.isEmpty, "a partial copy was left: \(harness.tempFiles)")
        for clip in try harness.clips() {
            let stored = storeMount.path + "/store/sha256/\(clip.sha256.prefix(2))/\(clip.sha256.dropFirst(2).prefix(2))/\(clip.sha256)"
            #expect(try sha256sum(of: URL(fileURLWithPath: stored)) == clip.sha256, "a cataloged clip is not whole")
        }
        try FileManager.default.removeItem(at: filler)
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        #expect(try harness.status().ingest.paused == false)
        let hashes = Set(try harness.clips().map(\.sha256))
        for spec in fixture.mediaClips { #expect(hashes.contains(try sha256sum(of: spec.bytes)), "\(spec.relativePath) lost") }
        #expect(try harness.ctlJSON(["fsck"], as: FsckReport.self).consistent)
        harness.stop()
        try mount.unmount()
    }

    @Test("the catalog's disk filling during a dump pauses ingest with a clear reason; freeing it resumes the dump by itself, with every clip cataloged and nothing stored uncataloged")
    func catalogDiskFull() throws {
        let catalogMount = try TempDir(prefix: "custody-catalog-full-")
        defer { catalogMount.cleanup() }
        try runChecked("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", catalogMount.path])
        let harness = try DaemonHarness(catalog: catalogMount.path + "/catalog.sqlite")
        try harness.start()
        _ = try harness.status()
        // Leave the catalog's disk a few pages: the dump's rows outgrow them.
        var vfs = statvfs()
        #expect(statvfs(catalogMount.path, &vfs) == 0)
        let free = Int(vfs.f_bavail) * Int(vfs.f_frsize)
        let filler = catalogMount.appending("filler")
        try runChecked("fallocate", ["-l", "\(free - 8192)", filler.path])
        let fixture = CameraFixture.standard(clipCount: 120, payloadBytes: 2_000...4_000, seed: 1806)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 64, label: nil)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        defer { try? mount.unmount() }
        #expect(waitUntil(timeout: 60) { (try? harness.status())?.ingest.pausedReason?.contains("catalog's disk is full") == true },
                "never paused; log: \(harness.log().suffix(2000))")
        Thread.sleep(forTimeInterval: 2)
        #expect(try harness.dumps().allSatisfy { $0.state != "failed" }, "the dump is paused, not failed")
        try FileManager.default.removeItem(at: filler)
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        #expect(try harness.status().ingest.paused == false)
        let dumps = try harness.dumps()
        #expect(dumps.count == 1 && dumps.first?.state == "complete", "\(dumps.map(\.state))")
        let hashes = Set(try harness.clips().map(\.sha256))
        for spec in fixture.mediaClips { #expect(hashes.contains(try sha256sum(of: spec.bytes)), "\(spec.relativePath) lost") }
        #expect(try harness.ctlJSON(["fsck"], as: FsckReport.self).consistent, "nothing stored uncataloged")
        let paused = try harness.ctlJSON(["audit", "show", "--action", "dump.paused"], as: [AuditItem].self)
        #expect(paused.contains { $0.detail.contains("catalog's disk is full") && $0.detail.contains("resumed") }, "\(paused.map(\.detail))")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }
}
