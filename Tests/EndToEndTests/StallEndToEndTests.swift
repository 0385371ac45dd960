import CustodyAPI
import Foundation
import Glibc
import Testing

/// A camera that stops answering mid-copy: the FUSE daemon serving the FAT32 image is stopped
/// with SIGSTOP, so the daemon's read blocks in the kernel exactly as on a hung USB device.
@Suite("Stalled source end to end", .serialized)
struct StallEndToEndTests {
    @Test("a source that stops delivering data raises one stall alert; when it answers again the dump completes and the alert clears")
    func stalledSource() throws {
        let harness = try DaemonHarness(extraConfig: "stall_seconds = 2\n[deadlines]\nscan_seconds = 1")
        let fixture = CameraFixture.standard(clipCount: 60, payloadBytes: 2_500_000...3_000_000, seed: 77)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 256, label: nil)
        try harness.start()
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        defer { kill(mount.pid, SIGCONT); try? mount.unmount() }
        #expect(waitUntil(timeout: 30) { ((try? harness.dumps())?.first?.bytesDone ?? 0) > 0 }, "the dump never started")
        kill(mount.pid, SIGSTOP)
        #expect(waitUntil(timeout: 20) { (try? harness.status())?.openAlerts?.contains { $0.key.hasPrefix("stall:") } == true },
                "no stall alert: \(harness.log().suffix(2000))")
        Thread.sleep(forTimeInterval: 2)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'alert.raised' AND object LIKE 'alert:stall:%'") == "1",
                "one alert, not one per scan")
        #expect(harness.log().contains("alert=stall:"))
        kill(mount.pid, SIGCONT)
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        #expect(waitUntil(timeout: 10) { (try? harness.status())?.openAlerts?.contains { $0.key.hasPrefix("stall:") } == false }, "the stall alert was not cleared")
        #expect(try harness.dumps().first?.state == "complete")
        let fsck = try harness.ctlJSON(["fsck"], as: FsckReport.self)
        #expect(fsck.consistent)
        harness.stop()
    }
}
