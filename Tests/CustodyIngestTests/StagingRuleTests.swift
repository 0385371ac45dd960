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
}
