import CustodyAPI
import Foundation
import Testing

/// Clips that fit in a group commit are staged by the staging workers, several at once, each with
/// its own hashing thread; larger ones alone by the ingest thread (issue 21). A camera whose clips
/// straddle that line (`group_commit_mb = 11`: clips of 9 to 13 MB) is ingested bit-exact on
/// both paths, in one dump, with nothing left in the store's temp folder, and docked again it is
/// hashed where it lies, nothing copied.
@Suite("Medium clips staged by the workers, end to end", .serialized)
struct MediumClipsEndToEndTests {
    @Test("clips of 9-13 MB around an 11 MiB group commit are ingested bit-exact on both staging paths, and again by content")
    func mediumClips() throws {
        let harness = try DaemonHarness(extraConfig: "group_commit_mb = 11")
        try harness.start()
        let (fixture, image) = try IngestEndToEndTests.cameraImage(harness, clips: 9, payload: 9_000_000...13_000_000, seed: 2121)
        let cutoff = 11 << 20, threaded = 8 << 20  // group_commit_mb; the copier's pipelineThreshold
        let sizes = fixture.mediaClips.map(\.bytes.count)
        try #require(sizes.filter { $0 >= threaded && $0 < cutoff }.count >= 2, "medium clips for the workers: \(sizes)")
        try #require(sizes.contains { $0 >= cutoff }, "a clip staged alone: \(sizes)")

        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        let clips = try harness.clips()
        #expect(clips.count == fixture.mediaClips.count)
        try IngestEndToEndTests.expectBitExact(clips, harness, mount)
        #expect(harness.tempFiles.isEmpty)
        #expect(try harness.dumps().map(\.state) == ["complete"])

        // Docked again: every clip hashed where it lies, none copied, none cataloged twice.
        try mount.unmount()
        let again = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        defer { try? again.unmount() }
        #expect(waitUntil(timeout: 60) { (try? harness.dumps())?.filter { $0.state == "complete" }.count == 2 },
                "the second docking completes")
        #expect(try harness.clips().count == fixture.mediaClips.count)
        #expect(try harness.ctlJSON(["fsck"], as: FsckReport.self).consistent)
        harness.stop()
    }
}
