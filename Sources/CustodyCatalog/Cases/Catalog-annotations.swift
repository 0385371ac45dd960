import CustodyCore
import Foundation
import GRDB

/// Clip annotations (classification and description, RULES.md "Ingest and the upload deadline"):
/// each is a new audited row; the clip row caches the first annotation time and the current case.
/// An annotation never changes the case unless it names one (authorization issue, item 4): without
/// a case it keeps the clip where it is, with its case's holds and confidentiality; naming another
/// case moves the clip only when `leavingCase` says which case it leaves (`checkLeaving`).
extension Catalog {
    public func annotate(_ annotation: Annotation, leavingCase: String? = nil, actor: String, policy: MatchPolicy = MatchPolicy(),
                         mayRemove: (Set<Confidentiality>) -> Bool = { _ in true }) throws -> Annotation {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clip WHERE sha256 = ?", arguments: [annotation.clipSHA256]) == true else {
                throw LedgerError("unknown-clip", "no clip \(annotation.clipSHA256)", zh: "没有录像 \(annotation.clipSHA256)")
            }
            if let number = annotation.caseNumber {
                guard let legalCase = try Self.legalCase(number: number, db: db) else {
                    throw LedgerError("unknown-case", "case \(number) is not registered; add it first (custodyctl cases add)",
                                      zh: "案件 \(number) 未登记，请先登记（custodyctl cases add）")
                }
                if legalCase.state == .archived {
                    throw LedgerError("case-archived", "case \(number) is archived; its file is closed to new clips",
                                      zh: "案件 \(number) 已归档，不能再加入录像")
                }
            }
            let current = try String.fetchOne(db, sql: "SELECT case_number FROM clip WHERE sha256 = ?", arguments: [annotation.clipSHA256])
            let caseNumber = annotation.caseNumber ?? current
            if let leaving = leavingCase, leaving != current {
                throw LedgerError("not-in-case", "clip \(annotation.clipSHA256.prefix(12)) is not filed under case \(leaving)\(current.map { " but under \($0)" } ?? "")",
                                  zh: "录像 \(annotation.clipSHA256.prefix(12)) 不属于案件 \(leaving)\(current.map { "，而属于案件 \($0)" } ?? "")")
            }
            if let current, caseNumber != current {
                guard leavingCase == current else {
                    throw LedgerError("case-change-unsaid", "clip \(annotation.clipSHA256.prefix(12)) is filed under case \(current); annotating it under \(caseNumber ?? "no case") takes it out of \(current), its holds and confidentiality: say so (--leave-case \(current))",
                                      zh: "录像 \(annotation.clipSHA256.prefix(12)) 属于案件 \(current)；标注为 \(caseNumber ?? "无案件") 将使其脱离该案件及其冻结和密级，请明确指定（--leave-case \(current)）")
                }
                try Self.checkLeaving(annotation.clipSHA256, case: current, mayRemove: mayRemove, db: db)
            }
            let now = Date()
            try db.execute(sql: """
                INSERT INTO annotation (clip_sha256, case_number, category, place, party, description, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [annotation.clipSHA256, caseNumber, annotation.category, annotation.place,
                                 annotation.party, annotation.description, actor, now.timeIntervalSince1970])
            let annotationID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE clip SET annotated_at = coalesce(annotated_at, ?), case_number = ? WHERE sha256 = ?",
                           arguments: [now.timeIntervalSince1970, caseNumber, annotation.clipSHA256])
            try AuditLog.append(db, actor: actor, action: "clip.annotate", object: "clip:\(annotation.clipSHA256)",
                                detail: ["case": caseNumber ?? "", "leftCase": caseNumber == current ? "" : current ?? "", "category": annotation.category,
                                         "place": annotation.place, "party": annotation.party,
                                         "description": annotation.description],
                                rows: [BoundRow(.annotation, annotationID), .clip(annotation.clipSHA256)])
            try Self.recomputeRetention([annotation.clipSHA256], policy: policy, actor: actor, db: db)
            var saved = annotation
            saved.caseNumber = caseNumber
            saved.recordedBy = actor
            saved.recordedAt = now
            return saved
        }
    }

    /// Every annotation of a clip, oldest first (the last one is current).
    public func annotations(sha256: String) throws -> [Annotation] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM annotation WHERE clip_sha256 = ? ORDER BY id", arguments: [sha256]).map {
                Annotation(clipSHA256: $0["clip_sha256"], caseNumber: $0["case_number"], category: $0["category"],
                           place: $0["place"], party: $0["party"], description: $0["description"],
                           recordedBy: $0["recorded_by"], recordedAt: Date(timeIntervalSince1970: $0["recorded_at"]))
            }
        }
    }
}
