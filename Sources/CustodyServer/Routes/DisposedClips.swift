import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation

/// Disposed clips look disposed (issue 19, item 1): a change naming one is refused with its
/// tombstone, and a decided disposal says what it removed, what it kept and why.
extension APIHandlers {
    /// Refuses any change to a disposed clip, naming when and by whose decision it was disposed.
    /// `visibleClip` calls it, and so every changing route that names a clip.
    func refuseIfDisposed(_ clip: Clip) throws {
        guard let disposedAt = clip.disposedAt else { return }
        let tombstone = try catalog.tombstone(sha256: clip.sha256)
        let id = String(clip.sha256.prefix(12))
        let when = PaperTime.minute(disposedAt, config.station.resolvedTimeZone)
        let proposal = tombstone.map { String($0.proposalID) } ?? "?", approver = tombstone?.approvedBy ?? "?"
        throw APIRefusal(.conflict, "disposed",
                         "clip \(id) was disposed on \(when) (disposal proposal \(proposal), approved by \(approver)); its bytes are gone and it can no "
                            + "longer be requested, held, annotated, marked long-term or made confidential. `custodyctl clips show \(id)` shows its tombstone",
                         zh: "录像 \(id) 已于 \(when) 销毁（第 \(proposal) 号销毁建议，批准人 \(approver)），文件已删除，"
                            + "不能再申请调阅、冻结、标注、标记长期保存或更改密级；`custodyctl clips show \(id)` 可查看销毁记录")
    }

    static func item(_ t: Tombstone) -> TombstoneItem {
        TombstoneItem(sha256: t.sha256, sizeBytes: t.sizeBytes, recordedAt: t.recordedAt, ingestedAt: t.ingestedAt,
                      officerBadge: t.officerBadge, deviceSerial: t.deviceSerial, proposalID: t.proposalID,
                      proposedBy: t.proposedBy, approvedBy: t.approvedBy, disposedAt: t.disposedAt)
    }

    /// A decided proposal with what became of each listed clip: disposed (store file removed;
    /// catalog row, tombstone and audit rows kept) or kept whole, with the reason.
    func disposalOutcomes(_ proposal: DisposalItem) throws -> DisposalItem {
        guard proposal.decision == "approved" else { return proposal }
        let zone = config.station.resolvedTimeZone
        var proposal = proposal
        proposal.outcomes = try proposal.clips.map { sha256 in
            let rows = try catalog.auditEntries(object: "clip:\(sha256)").count
            let state = try catalog.retentionState(sha256: sha256)
            if let tombstone = try catalog.tombstone(sha256: sha256), tombstone.proposalID == proposal.id {
                return DisposalOutcomeItem(
                    sha256: sha256, disposed: true, removed: ["store-file"], kept: ["catalog-row", "tombstone", "audit-rows"], auditRows: rows,
                    why: "past its retention period, not long-term, not held; proposed by \(tombstone.proposedBy), approved by \(tombstone.approvedBy)",
                    whyZh: "超过保存期限，非长期保存，未被冻结；提议人 \(tombstone.proposedBy)，批准人 \(tombstone.approvedBy)")
            }
            let (why, whyZh): (String, String)
            if let state, state.held {
                (why, whyZh) = ("put on hold since the proposal (\(state.holdReasons.joined(separator: "; ")))",
                                "提议后被冻结（\(state.holdReasons.joined(separator: "；"))）")
            } else if let state, state.retentionClass == "long-term" {
                (why, whyZh) = ("marked long-term since the proposal", "提议后被标记为长期保存")
            } else if let until = state?.retainUntil, until > (proposal.decidedAt ?? Date()) {
                (why, whyZh) = ("its retention runs until \(PaperTime.minute(until, zone))", "保存期限延至 \(PaperTime.minute(until, zone))")
            } else {
                (why, whyZh) = ("changed since the proposal", "提议后情况有变")
            }
            return DisposalOutcomeItem(sha256: sha256, disposed: false, removed: [],
                                       kept: ["store-file", "catalog-row", "audit-rows"], auditRows: rows, why: why, whyZh: whyZh)
        }
        return proposal
    }
}
