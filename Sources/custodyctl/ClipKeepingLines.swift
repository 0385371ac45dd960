import CustodyAPI
import Foundation

extension Clips {
    /// Where a clip's bytes are, or, for a disposed clip, that they are gone and what its
    /// tombstone says (issue 19: a disposed clip never shows a store path).
    static func keepingLines(_ detail: ClipDetail) -> [String] {
        guard let disposedAt = detail.clip.disposedAt else {
            return [L10n.field("State", "状态", L10n.code(Vocabulary.clipStates, "kept")), L10n.field("Stored at", "存储位置", detail.storePath)]
        }
        var lines = [L10n.field("State", "状态", L10n.code(Vocabulary.clipStates, "disposed") + L10n.text(" on \(Format.time(disposedAt))",
                                                                                                           zh: "（\(Format.time(disposedAt))）"))]
        if let t = detail.tombstone {
            lines.append(L10n.field("Tombstone", "销毁记录",
                                    L10n.text("disposal proposal \(t.proposalID), proposed by \(t.proposedBy), approved by \(t.approvedBy); "
                                                + "\(t.sizeBytes) bytes removed, catalog row and audit rows kept",
                                              zh: "第 \(t.proposalID) 号销毁建议，提议人 \(t.proposedBy)，批准人 \(t.approvedBy)；"
                                                + "已删除 \(t.sizeBytes) 字节，目录记录和审计记录保留")))
        }
        lines.append(L10n.field("Stored at", "存储位置", L10n.text("(removed)", zh: "（已删除）")))
        return lines
    }
}
