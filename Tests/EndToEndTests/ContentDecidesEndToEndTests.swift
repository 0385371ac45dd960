import CustodyAPI
import Foundation
import Testing

/// Attribution issue, item 0: whether a file was ingested is decided by its content hash, never by
/// its path and size. Cameras restart their numbering after being cleared and many write
/// fixed-size segments, so a camera docked again can hold new recordings under old names.
@Suite("Content, not names, decides what was ingested", .serialized)
struct ContentDecidesEndToEndTests {
    /// The same files with new bytes: every recording keeps its name and size, 64 bytes in its
    /// middle differ (a camera cleared and recording again with the same numbering).
    static func rerecorded(_ fixture: CameraFixture) -> CameraFixture {
        var again = fixture
        for index in again.clips.indices where again.clips[index].kind != .text {
            var bytes = again.clips[index].bytes
            let middle = bytes.count / 2
            for offset in middle..<min(bytes.count, middle + 64) { bytes[offset] ^= 0x5A }
            again.clips[index].bytes = bytes
        }
        return again
    }

    /// Waits until `count` dumps exist and none is active.
    static func waitForDumps(_ harness: DaemonHarness, count: Int, timeout: TimeInterval = 120) throws -> [DumpItem] {
        var dumps: [DumpItem] = []
        let done = waitUntil(timeout: timeout) {
            dumps = (try? harness.dumps()) ?? []
            return dumps.count == count && (try? harness.status().ingest.active) == 0
                && dumps.allSatisfy { ["complete", "refused"].contains($0.state) }
        }
        if !done { throw TestSupportError("expected \(count) finished dumps, have \(dumps.map { ($0.id, $0.state) }); log:\n\(harness.log().suffix(3000))") }
        return dumps.sorted { $0.id < $1.id }
    }

    @Test("a camera re-recorded under the same names and sizes: every new recording is cataloged; docked unchanged, nothing is copied again")
    func rerecordedCamera() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let fixture = CameraFixture.standard(clipCount: 12, start: CameraFixture.recentStart())
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 64, label: nil)
        let at = harness.mediaRoot.appendingPathComponent("cam1")
        var mount = try FuseMount.mountFAT(image: image, at: at)
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        try mount.unmount()
        _ = try Self.waitForDumps(harness, count: 1)

        // Docked again unchanged: a new dump, every file hashed, nothing new, nothing copied.
        mount = try FuseMount.mountFAT(image: image, at: at)
        var dumps = try Self.waitForDumps(harness, count: 2)
        try mount.unmount()
        #expect(try harness.clips().count == fixture.mediaClips.count)
        #expect(dumps[1].filesDone == Int64(fixture.clips.count) && dumps[1].errors == 0)
        let seenAgain = try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'clip.seen-again'")
        #expect(seenAgain == "\(fixture.mediaClips.count)", "each recording seen again is a provenance row of the new docking")

        // Cleared and recording again under the same names and sizes: every new recording cataloged.
        let again = Self.rerecorded(fixture)
        #expect(zip(fixture.clips, again.clips).allSatisfy { $0.relativePath == $1.relativePath && $0.bytes.count == $1.bytes.count })
        try again.makeFAT32Image(at: image, sizeMB: 64, label: nil)
        mount = try FuseMount.mountFAT(image: image, at: at)
        dumps = try Self.waitForDumps(harness, count: 3)
        let clips = try harness.clips()
        #expect(clips.count == 2 * fixture.mediaClips.count, "the new recordings are all cataloged")
        for spec in again.mediaClips {
            let hash = try sha256sum(of: mount.mountPoint.appendingPathComponent(spec.relativePath))
            #expect(clips.contains { $0.sha256 == hash }, "\(spec.relativePath) re-recorded but not cataloged")
        }
        #expect(dumps[2].state == "complete" && dumps[2].filesDone == Int64(again.clips.count))
        #expect(harness.tempFiles.isEmpty)
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        try mount.unmount()
        harness.stop()
    }

    @Test("a new file copied over an ingested name in a drop folder is cataloged")
    func dropFolderOverwrite() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let start = CameraFixture.recentStart()
        let name = MatchingEndToEndTests.name(badge: "010203", serial: "A7K2931", at: start, seq: 1)
        let first = MediaBytes.mp4(creation: start, durationSeconds: 60, payloadBytes: 50_000, seed: 1)
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: [(name, first)])
        var second = first
        second[second.count / 2] ^= 0xFF
        let target = harness.dropRoot.appendingPathComponent("cam1").appendingPathComponent(name)
        try Data(second).write(to: target)
        try harness.waitForIngest(clips: 2)
        let hashes = Set(try harness.clips().map(\.sha256))
        #expect(hashes == [try sha256sum(of: first), try sha256sum(of: second)])
        let provenance = try IngestEndToEndTests.sqlite(harness, "SELECT count(DISTINCT dump_id), count(*) FROM provenance")
        #expect(provenance == "1|2", "one drop folder, one dump, the path recorded with each content")
        harness.stop()
    }
}
