import CustodyAPI
import Foundation
import Glibc
import Testing

/// Availability issue (#18), item 2: a failed read of the mount table is never "no mounts". The
/// daemon reads the table through a symlink the test points at a directory (every read fails,
/// for root too, EISDIR) and back (`CUSTODY_MOUNTINFO`), with real FAT32 cameras through FUSE.
@Suite("Mount table end to end", .serialized)
struct MountTableEndToEndTests {
    @Test("a mount table that cannot be read is not taken for no mounts: the last table stands, an alarm is raised, and a camera docked meanwhile is ingested once it reads again")
    func unreadableMountTable() throws {
        let harness = try DaemonHarness()
        let table = harness.dir.appending("mountinfo").path
        #expect(symlink("/proc/self/mountinfo", table) == 0)
        try harness.start(environment: ["CUSTODY_MOUNTINFO": table])
        let first = CameraFixture.standard(clipCount: 4, seed: 1802)
        let image1 = harness.dir.appending("cam1.img")
        try first.makeFAT32Image(at: image1, sizeMB: 64, label: nil)
        let mount1 = try FuseMount.mountFAT(image: image1, at: harness.mediaRoot.appendingPathComponent("cam1"))
        defer { try? mount1.unmount() }
        try harness.waitForIngest(clips: first.mediaClips.count)

        // A directory in the table's place: every read fails (EISDIR), for root too.
        #expect(unlink(table) == 0 && mkdir(table, 0o755) == 0)
        let second = CameraFixture.standard(clipCount: 4, serial: "B8K1802", seed: 1803)
        let image2 = harness.dir.appending("cam2.img")
        try second.makeFAT32Image(at: image2, sizeMB: 64, label: nil)
        let mount2 = try FuseMount.mountFAT(image: image2, at: harness.mediaRoot.appendingPathComponent("cam2"))
        defer { try? mount2.unmount() }
        var alarms: [String] = []
        for _ in 0..<40 where !alarms.contains(where: { $0.contains("mount table unreadable") }) {
            Thread.sleep(forTimeInterval: 0.25)
            alarms = try harness.status().alarms
        }
        #expect(alarms.contains { $0.contains("mount table unreadable") }, "\(alarms)")
        #expect(try harness.status().clips.total == first.mediaClips.count)

        #expect(rmdir(table) == 0 && symlink("/proc/self/mountinfo", table) == 0)
        try harness.waitForIngest(clips: first.mediaClips.count + second.mediaClips.count)
        let log = harness.log()
        #expect(!log.contains("medium removed"), "a camera still docked was reported removed while the table was unreadable")
        #expect(log.contains("mount table readable again"))
        #expect(try harness.dumps().count == 2)
        #expect(harness.stop() == 0)
    }
}
