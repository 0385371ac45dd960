import CustodyCatalog
import CustodyCore
import Foundation

/// The checks behind the alarm: one at start from the last verified position, and the full one
/// behind `audit verify`, `fsck` and the daily check (one code path, one verdict).
extension StationIntegrity {
    /// The check at start (provable-catalog issue, item 3): the chain walked from where the last
    /// full check ended (`anchors/verified.txt`; from genesis without it), and every anchor in the
    /// spool judged against it, so a catalog copied back from an older file (shorter than the
    /// anchors) or re-chained (another root) raises the alarm before anything else runs. The rows
    /// against the chain are the full check's, which follows (`startFullCheck`).
    public func checkAtStart(now: Date = Date()) throws {
        let anchors = anchorFiles.anchors()
        let verified = anchorFiles.verified()
        // Without a verified position a large log is walked once, by the full check, in the background.
        if verified == nil, let rows = try catalog.auditEntries(limit: 1).last?.seq, rows >= Self.syncRows {
            logger.info("integrity check at start left to the full check", metadata: ["rows": "\(rows)", "reason": "no verified position yet"])
            return
        }
        let start = verified.map { ChainPosition(size: $0.head.treeSize, lastRowHash: $0.lastRowHash, subtreeRoots: $0.subtreeRoots) }
        let scan = try catalog.scanChain(from: start, prefixes: Set(anchors.map { Int($0.head.treeSize) }))
        var roots = scan.prefixRoots
        // Anchors inside the verified part agreed with it at the last full check, and that part is
        // unchanged (its last row's hash, which every later row links to, is the same).
        if scan.incremental, let start {
            for anchor in anchors where anchor.head.treeSize <= start.size && roots[Int(anchor.head.treeSize)] == nil {
                roots[Int(anchor.head.treeSize)] = MerkleHash(hex: anchor.head.root)
            }
        }
        var problems: [IntegrityProblem] = []
        if let problem = scan.problem {
            problems.append(IntegrityProblem(key: "chain:\(problem.seq)", message: "audit chain: \(problem.message)"))
        }
        problems += anchorProblems(AnchorCheck.judge(anchors, size: scan.end.size, prefixRoots: roots, stationKey: publicKey,
                                                     restores: anchors.map(\.head).filter { $0.restoredFrom != nil }))
        var warnings: [String] = []
        if let last = scan.lastAt, last.timeIntervalSince(now) > 60 {
            warnings.append("the station clock reads \(SignedTreeHead.format(now)), \(Int(last.timeIntervalSince(now))) s before the audit log's newest row (\(SignedTreeHead.format(last))): it was set back; approvals and expiries go by the log's time")
        }
        record(problems, warnings: warnings, full: false, at: now)
        logger.info("integrity check at start", metadata: [
            "from": "\(scan.incremental ? String(start?.size ?? 0) : "genesis")", "rows": "\(scan.end.size)",
            "anchors": "\(anchors.count)", "problems": "\(problems.count)"])
    }

    /// Runs the full check now when the log is small (under `syncRows` rows, a second or so),
    /// else on a thread of its own while the daemon serves; disposal and exports wait for it.
    public func startFullCheck(syncRows: Int64 = StationIntegrity.syncRows) {
        let rows = (try? catalog.auditEntries(limit: 1).last?.seq) ?? 0
        guard rows >= syncRows else {
            _ = try? fullCheck()
            return
        }
        Thread.detachNewThread { [self] in
            do { _ = try fullCheck() } catch { logger.error("integrity check failed to run", metadata: ["error": "\(error)"]) }
        }
    }

    /// The full check: `Catalog.verifyAudit` with the spool's anchors. Records its findings (the
    /// alarm), and when it found none, where it ended, so the next start walks only the rows after.
    @discardableResult
    public func fullCheck(now: Date = Date()) throws -> AuditVerification {
        let anchors = anchorFiles.anchors()
        let result = try catalog.verifyAudit(anchors: anchors, stationKey: publicKey)
        var problems: [IntegrityProblem] = []
        if let bad = result.firstBadSeq {
            problems.append(IntegrityProblem(key: "chain:\(bad)", message: "audit chain: \(result.problem ?? "row \(bad)")"))
        }
        for mismatch in result.mismatches {
            problems.append(IntegrityProblem(key: "row:\(mismatch.table):\(mismatch.key):\(mismatch.column ?? "")", message: mismatch.message))
        }
        if result.mismatchCount > result.mismatches.count {
            problems.append(IntegrityProblem(key: "rows:more", message: "and \(result.mismatchCount - result.mismatches.count) more rows that disagree with the chain (custodyctl audit verify lists them)"))
        }
        problems += anchorProblems(result.anchors)
        let warnings = result.clockStepCount == 0 ? [] : [
            "\(result.clockStepCount) audit rows are dated before the row they follow (first: row \(result.clockSteps.first?.seq ?? 0)): the clock was set back; approvals and expiries go by the log's order"]
        record(problems, warnings: warnings, full: true, at: now)
        if problems.isEmpty, let position = result.position {
            do {
                let head = try SignedTreeHead.sign(treeSize: position.size, root: result.root, time: now, key: heads.key)
                try anchorFiles.saveVerified(VerifiedPosition(head: head, lastRowHash: position.lastRowHash, subtreeRoots: position.subtreeRoots))
            } catch {
                logger.error("could not save where the integrity check ended", metadata: ["error": "\(error)"])
            }
        }
        return result
    }

    /// Logs this long are checked in full on a thread of their own at start (a second or more).
    public static let syncRows: Int64 = 200_000

    func anchorProblems(_ checks: [AnchorCheck]) -> [IntegrityProblem] {
        checks.filter(\.isProblem).map {
            IntegrityProblem(key: "anchor:\($0.verdict.rawValue):\($0.anchor.head.treeSize):\($0.anchor.head.root)", message: $0.message)
        }
    }
}
