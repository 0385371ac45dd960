import CustodyAPI
import Foundation
import Glibc
import Testing

/// The crash harness (reliability issue, item 1), short form for `make test`: 20 trials, each
/// a fresh station ingesting the same FAT32 camera, crashed once — 12 times at an injected point
/// between two durable steps (debug builds: `CUSTODY_CRASH_AT`), 8 times by `kill -9` after a
/// random delay — then restarted until the ingest completes. After each trial the invariants are
/// checked with `custodyctl fsck --json` and against the source. `scripts/crash-trials.sh` runs
/// the long form.
@Suite("Crash harness", .serialized)
struct CrashHarnessTests {
    struct Trial: CustomStringConvertible {
        var crashAt: String?
        var after: Int
        var delayMs: Int
        var description: String { crashAt.map { "\($0)#\(after)" } ?? "kill -9 after \(delayMs) ms" }
    }

    static let trials: [Trial] = {
        var rng = DeterministicRNG(seed: 0xC4A5_11)
        var list: [Trial] = []
        for point in ["after-temp-write", "after-fsync", "after-rename", "after-commit"] {
            for after in [1, 4, 9] { list.append(Trial(crashAt: point, after: after, delayMs: 0)) }
        }
        for _ in 0..<8 { list.append(Trial(crashAt: nil, after: 0, delayMs: rng.int(in: 50...1500))) }
        return list
    }()

    @Test("20 crash trials: every source file cataloged exactly once, every hash equal to its file, no orphan, no temp file, audit chain valid")
    func crashTrials() throws {
        let fixture = CameraFixture.standard(clipCount: 16, payloadBytes: 200_000...600_000, seed: 0xC4A5)
        let images = try TempDir()
        defer { images.cleanup() }
        let image = images.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: 40, label: nil)
        var inconsistencies: [String] = []
        for trial in Self.trials {
            // Group commits of 5: the 16 clips take four batches, so crash points land inside a
            // batch (staged, renamed, not yet cataloged) and between batches.
            let harness = try DaemonHarness(extraConfig: "group_commit_files = 5")
            let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
            if let point = trial.crashAt {
                try harness.start(environment: ["CUSTODY_CRASH_AT": point, "CUSTODY_CRASH_AFTER": "\(trial.after)"], waitForSocket: false)
                if !waitUntil(timeout: 30, { harness.process?.isRunning != true }) {
                    inconsistencies.append("\(trial): the crash point was never reached")
                    harness.crash()
                }
                harness.reap()
            } else {
                try harness.start()
                usleep(useconds_t(trial.delayMs * 1000))
                harness.crash()
            }
            try harness.start()
            try harness.waitForIngest(clips: fixture.mediaClips.count, timeout: 60)
            let report = try harness.ctlJSON(["fsck"], as: FsckReport.self)
            var problems: [String] = []
            if !report.consistent { problems.append("fsck: \(report)") }
            // Each source file once per docking (a restart after the dump completed docks the
            // still-mounted camera again: a second dump in which every file is hashed, none copied).
            let perPath = try IngestEndToEndTests.sqlite(harness, """
                SELECT (SELECT count(*) FROM (SELECT 1 FROM provenance GROUP BY dump_id, source_path_raw HAVING count(*) > 1)),
                       count(DISTINCT source_path_raw), count(DISTINCT clip_sha256) FROM provenance
                """)
            if perPath != "0|\(fixture.mediaClips.count)|\(fixture.mediaClips.count)" { problems.append("provenance \(perPath)") }
            let hashes = Set(try harness.clips().map(\.sha256))
            for spec in fixture.mediaClips where !hashes.contains(try sha256sum(of: spec.bytes)) { problems.append("lost \(spec.relativePath)") }
            if !problems.isEmpty { inconsistencies.append("\(trial): \(problems)") }
            harness.stop()
            try mount.unmount()
        }
        print("crash trials: \(Self.trials.count), inconsistencies: \(inconsistencies.count)")
        #expect(inconsistencies.isEmpty, "\(inconsistencies)")
    }
}
