import CustodyAPI
import Foundation
import Testing

/// `[ingest] read_back = "xxh3-128"` end to end (issue 21): a camera ingested bit-exact under the
/// camera bytes' SHA-256, each clip's audit row naming the check, and the custody report saying
/// which check the clip had.
@Suite("XXH3-128 read-back end to end", .serialized)
struct ReadBackCheckEndToEndTests {
    @Test("with read_back = \"xxh3-128\" a camera is ingested bit-exact, and the audit and the custody report name the check")
    func xxh3ReadBack() throws {
        let harness = try DaemonHarness(extraConfig: "read_back = \"xxh3-128\"\ngroup_commit_files = 4")
        try harness.start()
        let (fixture, image) = try IngestEndToEndTests.cameraImage(harness, clips: 12, payload: 20_000...9_000_000)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        try harness.waitForIngest(clips: fixture.mediaClips.count)

        let clips = try harness.clips()
        #expect(clips.count == fixture.mediaClips.count)
        try IngestEndToEndTests.expectBitExact(clips, harness, mount)
        let named = try IngestEndToEndTests.sqlite(harness,
            "SELECT count(*) FROM audit WHERE action = 'clip.ingest' AND json_extract(detail, '$.readBack') = 'xxh3-128'")
        #expect(named == "\(clips.count)", "every clip's audit row names the check")
        #expect(harness.tempFiles.isEmpty)

        let report = try harness.ctlJSON(["clips", "custody", clips[0].sha256], as: CustodyReportItem.self)
        let verification = report.events.filter { $0.stage == "verification" }.map(\.detail)
        #expect(verification.contains { $0.contains("XXH3-128") && $0.contains("SHA-256 由复制时读出的字节计算") }, "\(verification)")
    }
}
