import CustodyCore
import Foundation
import Testing
@testable import CustodyIngest

/// Which files the ingest thread stages alone (issue 21): those larger than a group commit holds,
/// never below the copier's pipeline threshold. Everything smaller goes to the staging workers.
@Suite("Staging rule") struct StagingRuleTests {
    @Test("a file is staged alone from the group commit's size up, never below the pipeline threshold")
    func cutoff() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("custody-staging-rule-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let copier = PipelinedCopier(store: try EvidenceStore(root: root))  // pipelineThreshold 8 MiB
        var ingest = CustodyConfig.Ingest()
        #expect(DumpIngestor.stagedAlone(from: copier, ingest) == 64 << 20, "default group_commit_mb = 64")
        ingest.groupCommitBytes = 11 << 20
        #expect(DumpIngestor.stagedAlone(from: copier, ingest) == 11 << 20)
        ingest.groupCommitBytes = 1 << 20
        #expect(DumpIngestor.stagedAlone(from: copier, ingest) == 8 << 20, "never below the pipeline threshold")
    }

    @Test("a dump copies the files staged alone first, then the rest, each in the medium's order")
    func copyOrder() {
        func file(_ name: String, _ mb: UInt64) -> ScannedFile { ScannedFile(path: RawPath(name), size: mb << 20, mtime: Date()) }
        let medium = [file("a.JPG", 1), file("b.MP4", 500), file("c.MP4", 10), file("d.MP4", 64), file("e.JPG", 1), file("f.MP4", 900)]
        let order = DumpIngestor.copyOrder(medium, stagedAlone: 64 << 20).map(\.path.display)
        #expect(order == ["b.MP4", "d.MP4", "f.MP4", "a.JPG", "c.MP4", "e.JPG"])
        // Nothing to gain with only large or only small files: the medium's order.
        let large = [file("x.MP4", 500), file("y.MP4", 400)], small = [file("p.JPG", 1), file("q.JPG", 2)]
        #expect(DumpIngestor.copyOrder(large, stagedAlone: 64 << 20) == large)
        #expect(DumpIngestor.copyOrder(small, stagedAlone: 64 << 20) == small)
        #expect(Set(DumpIngestor.copyOrder(medium, stagedAlone: 64 << 20).map(\.path)) == Set(medium.map(\.path)))
    }
}
