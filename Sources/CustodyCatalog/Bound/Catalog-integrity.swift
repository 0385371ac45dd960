import Foundation
import GRDB

extension Catalog {
    /// The one integrity check of the catalog, behind both `audit verify` and `fsck` (one code
    /// path, one verdict): the chain from genesis (every link and hash), every stored Merkle
    /// checkpoint recomputed, rows dated before their predecessor flagged, and every bound table
    /// compared with the state the chain implies. All of it reads one snapshot, so ingest goes on.
    ///
    /// `anchors` are signed tree heads kept outside the catalog (anchor files, discs, reports):
    /// each is judged against the same pass's Merkle tree (`AnchorCheck`), so a rolled-back or
    /// re-chained catalog fails here too.
    public func verifyAudit(anchors: [Anchor] = [], stationKey: String? = nil) throws -> AuditVerification {
        let stored = try checkpoints()
        return try pool.read { db in try Self.verify(db, checkpoints: stored, anchors: anchors, stationKey: stationKey) }
    }

    static func verify(_ db: Database, checkpoints stored: [AuditCheckpoint], anchors: [Anchor] = [],
                       stationKey: String? = nil) throws -> AuditVerification {
        let sizes = Set(stored.map { Int($0.treeSize) } + anchors.map { Int($0.head.treeSize) })
        var replay = try ChainReplay.run(db, prefixes: sizes)
        var result = AuditVerification(valid: replay.chainProblem == nil, rows: replay.rows, head: replay.head,
                                       firstBadSeq: replay.chainProblem?.seq, problem: replay.chainProblem?.problem)
        result.root = replay.merkle.root.hex
        if replay.chainProblem == nil {
            result.position = ChainPosition(size: Int64(replay.merkle.size), lastRowHash: replay.head,
                                            subtreeRoots: replay.merkle.accumulator.subtreeRoots.map(\.hex))
        }
        if result.valid {
            for checkpoint in stored where Int64(replay.merkle.size) >= checkpoint.treeSize {
                guard replay.merkle.prefixRoots[Int(checkpoint.treeSize)]?.hex == checkpoint.root else {
                    result.valid = false
                    result.firstBadSeq = checkpoint.treeSize
                    result.problem = "the Merkle checkpoint of \(checkpoint.treeSize) rows (written \(checkpoint.at), root \(checkpoint.root.prefix(16))…) no longer matches: rows up to \(checkpoint.treeSize) were rewritten"
                    break
                }
                result.checkpointsChecked += 1
            }
        }
        if !anchors.isEmpty, let stationKey {
            result.anchors = AnchorCheck.judge(anchors, size: Int64(replay.merkle.size), prefixRoots: replay.merkle.prefixRoots,
                                               stationKey: stationKey, restores: anchors.map(\.head).filter { $0.restoredFrom != nil })
            if let bad = result.anchors.first(where: \.isProblem) {
                result.valid = false
                result.problem = result.problem ?? bad.message
            }
        }
        result.boundRowsChecked = try BoundComparison.run(db, replay: &replay)
        result.mismatchCount = replay.findingCount
        result.mismatches = replay.findings
        result.clockStepCount = replay.clockStepCount
        result.clockSteps = replay.clockSteps
        if let first = replay.findings.first {
            result.valid = false
            result.problem = result.problem ?? first.message
        }
        return result
    }
}

/// The outcome of `audit verify` (and the catalog part of `fsck`).
public struct AuditVerification: Sendable, Equatable, Codable {
    /// The chain is intact, every checkpoint matches and every bound row agrees with the chain.
    public var valid: Bool
    /// Rows verified from genesis (up to the first bad one).
    public var rows: Int64
    public var head: String
    /// The first row whose link or hash is wrong (or the size of a checkpoint that no longer matches).
    public var firstBadSeq: Int64?
    /// What is wrong first, in a sentence.
    public var problem: String?
    /// Rows of the bound tables compared with the chain.
    public var boundRowsChecked = 0
    /// Bound rows that disagree with the chain (all counted, the first 20 named).
    public var mismatchCount = 0
    public var mismatches: [BoundMismatch] = []
    /// Rows dated before the row they follow (the clock was set back): flagged, not invalid.
    public var clockStepCount = 0
    public var clockSteps: [ClockStep] = []
    public var checkpointsChecked = 0
    /// The signed heads kept outside the catalog, each judged against the log.
    public var anchors: [AnchorCheck] = []
    /// RFC 6962 root of the log's rows' hashes.
    public var root = ""
    /// Where the walk ended, when the chain is intact (the next start walks on from here).
    public var position: ChainPosition?

    public init(valid: Bool, rows: Int64, head: String, firstBadSeq: Int64?, problem: String?) {
        self.valid = valid; self.rows = rows; self.head = head; self.firstBadSeq = firstBadSeq; self.problem = problem
    }
}
