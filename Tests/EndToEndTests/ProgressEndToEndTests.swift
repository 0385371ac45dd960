import CustodyAPI
import Foundation
import Glibc
import Testing

/// What a clerk watching a large dump sees (performance issue #21, item 4): the bytes done of a
/// dump of large clips move forward only, while one clip is committed (fsync, read-back) and the
/// next is read from the camera at the same time. Before, the commit of a clip reset the count of
/// what was already read of the next one, and bytes done went back by up to a clip.
@Suite("Dump progress end to end", .serialized)
struct ProgressEndToEndTests {
    @Test("the bytes a dump reports done never go back while large clips are read and committed one after another, and end at the total")
    func progressOnlyMovesForward() throws {
        let harness = try DaemonHarness()
        // Above the copier's 8 MiB pipeline threshold: each clip is read by the ingest thread
        // while the committer verifies the one before.
        let fixture = CameraFixture.standard(clipCount: 6, payloadBytes: 12_000_000...16_000_000, seed: 121)
        let image = harness.dir.appending("camera.img")
        try fixture.makeFAT32Image(at: image, sizeMB: max(160, fixture.recommendedImageSizeMB), label: nil)
        try harness.start()
        let mount = try FuseMount.mountFAT(image: image, at: harness.mediaRoot.appendingPathComponent("cam1"))
        defer { kill(mount.pid, SIGCONT); try? mount.unmount() }
        // The camera answers in short bursts; between bursts it is frozen, so a commit landing
        // while the next clip is half read is seen in the count, whatever the machine's speed.
        kill(mount.pid, SIGSTOP)
        var seen: [Int64] = []
        var bursts = 0
        while bursts < 5000 {
            kill(mount.pid, SIGCONT)
            usleep(20_000)
            kill(mount.pid, SIGSTOP)
            bursts += 1
            for _ in 0..<2 {
                guard let dump = try? harness.dumps().first else { continue }
                seen.append(dump.bytesDone)
                #expect(dump.bytesDone <= dump.bytesTotal, "bytes done \(dump.bytesDone) above the total \(dump.bytesTotal)")
                usleep(10_000)
            }
            if (try? harness.dumps().first?.state) == "complete" { break }
        }
        kill(mount.pid, SIGCONT)
        try harness.waitForIngest(clips: fixture.mediaClips.count)
        let dump = try #require(try harness.dumps().first)
        #expect(dump.state == "complete")
        #expect(dump.bytesDone == dump.bytesTotal)
        let backwards = zip(seen, seen.dropFirst()).filter { $0.1 < $0.0 }
        #expect(backwards.isEmpty, "bytes done went back \(backwards.count) times, e.g. \(backwards.prefix(3)) in \(seen.count) samples")
        #expect(seen.count > 6, "too few samples to judge: \(seen)")
        harness.stop()
    }
}
