import CustodyAPI
import Foundation
import Testing

/// Attribution issue, item 7: releasing the camera after a verified dump, only where an admin
/// enabled it, only what the store holds, never on a read-only medium. A real FAT32 image through
/// fusefat, mounted read-write for this test (the mount helper's remount is tested by
/// scripts/test-custody-mount.sh).
@Suite("Releasing the camera end to end", .serialized)
struct ReleaseEndToEndTests {
    typealias L = LedgerEndToEndTests

    static let profile = """
        [[device_profile]]
        brand = "海康"
        release_after_dump = true
        release_wait_seconds = 2
        """

    /// The regular files left on a mounted camera, relative to its root, upper-cased.
    static func files(on mount: FuseMount) throws -> Set<String> {
        let out = try runCheckedString("find", [mount.mountPoint.path, "-type", "f", "-printf", "%P\\n"])
        return Set(out.split(separator: "\n").map { $0.uppercased() })
    }

    @Test("a verified dump of a writable camera whose profile enables it: exactly the stored recordings are removed, listed in the audit; sn.txt stays")
    func releaseWritableCamera() throws {
        let harness = try DaemonHarness(extraConfig: Self.profile)
        try harness.start()
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康", "--model", "K1"])
        let fixture = CameraFixture.standard(clipCount: 10, start: CameraFixture.recentStart())
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 64, label: nil)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"), readOnly: false)
        let dumps = try ContentDecidesEndToEndTests.waitForDumps(harness, count: 1)
        #expect(dumps[0].state == "complete" && dumps[0].stateReason?.contains("camera released: 10 recording(s) removed, 0 kept") == true,
                "\(String(describing: dumps[0].stateReason))")
        #expect(try Self.files(on: mount) == ["SN.TXT"], "only the identity file stays on the camera")
        let clips = try harness.clips()
        #expect(clips.count == fixture.mediaClips.count)
        let detail = try IngestEndToEndTests.sqlite(harness, "SELECT json_extract(detail, '$.manifest') FROM audit WHERE action = 'dump.release'")
        struct Entry: Decodable { var path: String; var sha256: String; var size: UInt64 }
        let manifest = try JSONDecoder().decode([Entry].self, from: Data(detail.utf8))
        #expect(manifest.count == fixture.mediaClips.count)
        for spec in fixture.mediaClips {
            let entry = try #require(manifest.first { $0.path.uppercased() == spec.relativePath.uppercased() }, "\(spec.relativePath) not in the manifest")
            #expect(entry.sha256 == (try sha256sum(of: spec.bytes)) && entry.size == UInt64(spec.bytes.count))
            #expect(clips.contains { $0.sha256 == entry.sha256 })
        }
        let fsck = try harness.ctlJSON(["fsck"], as: FsckReport.self)
        #expect(fsck.consistent && fsck.clipsChecked == fixture.mediaClips.count)
        try mount.unmount()
        harness.stop()
    }

    @Test("never on a read-only camera (nothing removed, the refusal audited), nor on an unregistered one")
    func noReleaseReadOnlyOrUnregistered() throws {
        let harness = try DaemonHarness(extraConfig: Self.profile)
        try harness.start()
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康", "--model", "K1"])
        let fixture = CameraFixture.standard(clipCount: 4, start: CameraFixture.recentStart())
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 64, label: nil)
        let before = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        let listed = try Self.files(on: before)
        var dumps = try ContentDecidesEndToEndTests.waitForDumps(harness, count: 1)
        #expect(dumps[0].stateReason?.contains("camera not released: the camera stayed read-only") == true, "\(String(describing: dumps[0].stateReason))")
        #expect(try Self.files(on: before) == listed)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'dump.release-skipped'") == "1")
        try before.unmount()

        // A camera nobody registered, mounted read-write: its profile cannot be known, nothing is touched.
        let other = CameraFixture.standard(clipCount: 4, serial: "ZZZ0001", start: CameraFixture.recentStart(), seed: 3)
        let otherImage = harness.dir.appending("other.img")
        try other.makeFAT32Image(at: otherImage, sizeMB: 64, label: nil)
        let writable = try FuseMount.mountFAT(image: otherImage, at: harness.mediaRoot.appendingPathComponent("cam2"), readOnly: false)
        let otherListed = try Self.files(on: writable)
        dumps = try ContentDecidesEndToEndTests.waitForDumps(harness, count: 2)
        #expect(try Self.files(on: writable) == otherListed)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'dump.release'") == "0")
        try writable.unmount()
        harness.stop()
    }
}
