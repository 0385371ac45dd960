import CustodyAPI
import Foundation
import Glibc
import Testing

/// The foundation's "must show": a camera plugged in becomes verified, cataloged evidence.
/// Real FAT32 images (mkfs.vfat + mtools), mounted through FUSE fusefat (this kernel has no vfat
/// driver), the real daemon, the real socket, real SQLite.
@Suite("Camera dumps end to end", .serialized)
struct IngestEndToEndTests {
    /// Builds the 50-clip camera image in the harness's folder.
    static func cameraImage(_ harness: DaemonHarness, clips: Int = 50, payload: ClosedRange<Int> = 20_000...400_000,
                            seed: UInt64 = 0x00C0_57D1) throws -> (CameraFixture, URL) {
        let fixture = CameraFixture.standard(clipCount: clips, payloadBytes: payload, seed: seed)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: max(64, fixture.recommendedImageSizeMB), label: nil)
        return (fixture, image)
    }

    /// Each clip's SHA-256 is that of the file on the camera (coreutils' `sha256sum`), and so is
    /// that of the bytes stored under its content address.
    static func expectBitExact(_ clips: [ClipItem], _ harness: DaemonHarness, _ mount: FuseMount) throws {
        for clip in clips {
            let onMedium = mount.mountPoint.appendingPathComponent(clip.sourcePath)
            #expect(clip.sha256 == (try sha256sum(of: onMedium)), "hash of \(clip.sourcePath)")
            let stored = "\(harness.storeRoot)/sha256/\(clip.sha256.prefix(2))/\(clip.sha256.dropFirst(2).prefix(2))/\(clip.sha256)"
            #expect((try? sha256sum(of: URL(fileURLWithPath: stored))) == clip.sha256, "stored bytes of \(clip.sourcePath)")
        }
    }

    static func sqlite(_ harness: DaemonHarness, _ sql: String) throws -> String {
        try runCheckedString("sqlite3", ["-readonly", harness.catalogPath, sql]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a FAT32 camera with 50 clips mounted under a watched root is ingested bit-exact with names parsed")
    func fiftyClipCamera() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let (fixture, image) = try Self.cameraImage(harness)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        try harness.waitForIngest(clips: fixture.mediaClips.count)

        let clips = try harness.clips()
        #expect(clips.count == fixture.mediaClips.count)
        let bySource = Dictionary(clips.map { ($0.sourcePath.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
        for spec in fixture.mediaClips {
            let onMedium = mount.mountPoint.appendingPathComponent(spec.relativePath)
            let clip = try #require(bySource[spec.relativePath.uppercased()], "clip \(spec.relativePath) not cataloged")
            // The independent oracle: coreutils sha256sum of the file as the camera presents it.
            #expect(clip.sha256 == (try sha256sum(of: onMedium)), "hash of \(spec.relativePath)")
            #expect(clip.sizeBytes == UInt64(spec.bytes.count))
            guard spec.kind != .text else { continue }
            #expect(clip.officerBadge == fixture.badge, "badge of \(spec.relativePath)")
            #expect(clip.deviceSerial == fixture.serial, "serial of \(spec.relativePath)")
            let important = spec.important || spec.relativePath.contains("101ANDRO")
            #expect(clip.flags.contains("important") == important, "important mark of \(spec.relativePath)")
            if let recorded = spec.recordedAt {
                #expect(clip.recordedAt.map { abs($0.timeIntervalSince(recorded)) < 1 } == true,
                        "recording time of \(spec.relativePath): \(String(describing: clip.recordedAt)) vs \(recorded)")
            }
        }
        #expect(try harness.status().ingest.active == 0)
        #expect(harness.tempFiles.isEmpty)
        let dumps = try harness.dumps()
        #expect(dumps.count == 1 && dumps.first?.state == "complete")
        #expect(dumps.first?.filesDone == Int64(fixture.clips.count))
        // sn.txt is the camera's identity, kept with the dump (hash recorded), not a recording.
        let sn = try #require(fixture.clip(at: "sn.txt"))
        #expect(!clips.contains { $0.sourcePath.uppercased() == "SN.TXT" }, "sn.txt is not a clip")
        let dumpShown = try harness.ctlJSON(["dumps", "show", "\(dumps[0].id)"], as: DumpItem.self)
        #expect(dumpShown.sideFiles?.map(\.kind) == ["identity"])
        #expect(dumpShown.sideFiles?.first?.sha256 == (try sha256sum(of: sn.bytes)))
        let shownText = String(decoding: try harness.ctl(["dumps", "show", "\(dumps[0].id)"], env: ["LANG": "zh_CN.UTF-8"]).stdout, as: UTF8.self)
        #expect(shownText.contains("身份文件") && shownText.uppercased().contains("SN.TXT"))
        // Stored objects are read-only and hold the same bytes.
        let first = try #require(clips.first)
        let detail = try harness.ctlJSON(["clips", "show", String(first.sha256.prefix(12))], as: ClipDetail.self)
        #expect(try sha256sum(of: URL(fileURLWithPath: detail.storePath)) == first.sha256)
        var st = stat()
        #expect(stat(detail.storePath, &st) == 0 && st.st_mode & 0o777 == 0o444)
        #expect(detail.audit.contains { $0.action == "clip.ingest" })
        // Tables for people fit an 80-column terminal.
        for command in [["clips", "list"], ["dumps", "list"], ["status"]] {
            let lines = String(decoding: try harness.ctl(command, env: ["COLUMNS": "80"]).stdout, as: UTF8.self).split(separator: "\n")
            #expect(lines.allSatisfy { $0.count <= 80 }, "\(command) is wider than 80 columns: \(lines.map(\.count).max() ?? 0)")
        }
        let verify = try harness.ctl(["audit", "verify"])
        #expect(verify.status == 0, "audit chain: \(String(decoding: verify.stdout, as: UTF8.self))")
        try mount.unmount()
        harness.stop()
    }

    @Test("kill -9 in the middle of an ingest, then a restart: every clip cataloged exactly once, no temp file, chain intact")
    func crashMidIngest() throws {
        let harness = try DaemonHarness(extraConfig: "group_commit_files = 4")
        let (fixture, image) = try Self.cameraImage(harness, clips: 120, payload: 400_000...1_200_000, seed: 77)
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        try harness.start()
        // Crash once some, but not all, clips are in: the camera is frozen (its FUSE daemon
        // stopped) the moment five are, so a fast ingest cannot finish before the kill.
        _ = waitUntil(timeout: 60) { ((try? harness.status())?.clips.total ?? 0) >= 5 }
        kill(mount.pid, SIGSTOP)
        harness.crash { kill(mount.pid, SIGCONT) }
        let before = try Int(Self.sqlite(harness, "SELECT count(*) FROM clip")) ?? -1
        #expect(before < fixture.mediaClips.count, "the crash should land mid-ingest (had \(before))")

        try harness.start()
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        let clips = try harness.clips()
        #expect(clips.count == fixture.mediaClips.count)
        #expect(Set(clips.map(\.sha256)).count == clips.count)
        // Every source file has exactly one provenance row.
        let provenance = try Self.sqlite(harness, "SELECT count(*), count(DISTINCT source_path_raw) FROM provenance")
        #expect(provenance == "\(fixture.mediaClips.count)|\(fixture.mediaClips.count)")
        for spec in fixture.mediaClips {
            let hash = try sha256sum(of: mount.mountPoint.appendingPathComponent(spec.relativePath))
            #expect(clips.contains { $0.sha256 == hash }, "\(spec.relativePath) missing after restart")
        }
        #expect(harness.tempFiles.isEmpty, "temp files left: \(harness.tempFiles)")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        let dumps = try harness.dumps()
        #expect(dumps.count == 1, "the restart resumes the same dump")
        #expect(dumps.first?.state == "complete")
        harness.stop()
        try mount.unmount()
    }
}
