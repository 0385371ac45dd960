import CustodyAPI
import Foundation
import Glibc
import Testing

/// Availability issue (#18), item 2: a failed read of the mount table is never "no mounts". The
/// daemon reads the table through a symlink the test points at a directory (every read fails,
/// for root too, EISDIR) and back (`CUSTODY_MOUNTINFO`), with real FAT32 cameras through FUSE.
@Suite("Mount table end to end", .serialized)
struct MountTableEndToEndTests {
    /// `camera` as a FAT32 image mounted through FUSE at `<media>/<name>`.
    static func dock(_ camera: CameraFixture, as name: String, _ harness: DaemonHarness) throws -> FuseMount {
        let image = harness.dir.appending("\(name).img")
        try camera.makeFAT32Image(at: image, sizeMB: 64, label: nil)
        return try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent(name))
    }

    @Test("a mount table that cannot be read is not taken for no mounts: the last table stands, an alarm is raised, and a camera docked meanwhile is ingested once it reads again")
    func unreadableMountTable() throws {
        let harness = try DaemonHarness()
        let table = harness.dir.appending("mountinfo").path
        #expect(symlink("/proc/self/mountinfo", table) == 0)
        try harness.start(environment: ["CUSTODY_MOUNTINFO": table])
        let first = CameraFixture.standard(clipCount: 4, seed: 1802)
        let mount1 = try Self.dock(first, as: "cam1", harness)
        defer { try? mount1.unmount() }
        try harness.waitForIngest(clips: first.mediaClips.count)

        // A directory in the table's place: every read fails (EISDIR), for root too.
        #expect(unlink(table) == 0 && mkdir(table, 0o755) == 0)
        let second = CameraFixture.standard(clipCount: 4, serial: "B8K1802", seed: 1803)
        let mount2 = try Self.dock(second, as: "cam2", harness)
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

    @Test("a bind mount of a docked camera and a filesystem mounted inside it are part of one medium: no dump of their own, and the log says so")
    func nestedAndBindMounts() throws {
        let harness = try DaemonHarness()
        try harness.start()
        defer { harness.stop() }
        let camera = CameraFixture.standard(clipCount: 4, seed: 1807)
        let mount = try Self.dock(camera, as: "cam1", harness)
        defer { try? mount.unmount() }
        try harness.waitForIngest(clips: camera.mediaClips.count)

        // The same camera seen a second time through a bind mount under the watched root.
        let again = harness.mediaRoot.appendingPathComponent("cam1-again")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        try runChecked("mount", ["--bind", "-o", "ro", mount.mountPoint.path, again.path])
        defer { _ = try? run("umount", [again.path]) }
        // Another filesystem mounted on a folder inside the camera (tmpfs, a type the harness
        // watches; fusefat refuses a folder that is not empty).
        let inner = mount.mountPoint.appendingPathComponent("DCIM").path
        try runChecked("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", inner])
        defer { _ = try? run("umount", [inner]) }
        #expect(waitUntil(timeout: 30) { harness.log().components(separatedBy: "part of another medium").count - 1 >= 2 },
                "log:\n\(harness.log().suffix(2000))")
        Thread.sleep(forTimeInterval: 2)
        #expect(try harness.dumps().count == 1, "one dump for the camera, none for its second view or the mount inside it")
        #expect(try harness.status().clips.total == camera.mediaClips.count)
    }
}
