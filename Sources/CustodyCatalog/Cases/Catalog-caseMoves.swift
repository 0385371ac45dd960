import CustodyCore
import Foundation
import GRDB

/// Changes that move evidence between protections (authorization issue, item 4): a clip leaves a
/// case, or loses a confidentiality flag, only through an action that says so, by someone
/// cleared for what it removes, and never while a hold covers it. Every path that does either
/// (`annotate` naming another case, `leaveCase`, removing a flag) checks here.
extension Catalog {
    /// Takes a clip out of its case (`clips leave-case`): it loses the case's holds and
    /// confidentiality and becomes routine footage again. Audited with the reason.
    public func leaveCase(sha256: String, caseNumber: String, reason: String, actor: String, policy: MatchPolicy,
                          mayRemove: (Set<Confidentiality>) -> Bool) throws {
        try pool.write { db in
            let current = try String.fetchOne(db, sql: "SELECT case_number FROM clip WHERE sha256 = ?", arguments: [sha256])
            guard current == caseNumber else {
                throw LedgerError("not-in-case", "clip \(sha256.prefix(12)) is not filed under case \(caseNumber)\(current.map { " but under \($0)" } ?? "")",
                                  zh: "录像 \(sha256.prefix(12)) 不属于案件 \(caseNumber)\(current.map { "，而属于案件 \($0)" } ?? "")")
            }
            try Self.checkLeaving(sha256, case: caseNumber, mayRemove: mayRemove, db: db)
            try db.execute(sql: "UPDATE clip SET case_number = NULL WHERE sha256 = ?", arguments: [sha256])
            try AuditLog.append(db, actor: actor, action: "clip.leave-case", object: "clip:\(sha256)",
                                detail: ["case": caseNumber, "reason": reason], rows: [.clip(sha256)])
            try Self.recomputeRetention([sha256], policy: policy, actor: actor, db: db)
        }
    }

    /// Refuses a clip leaving `caseNumber` while the clip or the case is held, or when the caller
    /// is not cleared for the case's confidentiality flags (which the clip would lose).
    static func checkLeaving(_ sha256: String, case caseNumber: String, mayRemove: (Set<Confidentiality>) -> Bool, db: Database) throws {
        if let held = try heldTarget(clip: sha256, caseNumber: caseNumber, db: db) {
            throw LedgerError("held", "\(held) is on hold; clip \(sha256.prefix(12)) cannot leave case \(caseNumber) while the hold lasts",
                              zh: "\(held) 处于冻结状态，冻结期间录像 \(sha256.prefix(12)) 不得脱离案件 \(caseNumber)")
        }
        let flags = try flagsInForce(target: "case:\(caseNumber)", db: db)
        guard mayRemove(flags) else {
            throw LedgerError("not-cleared", "case \(caseNumber) is \(flags.map(\.nameEn).sorted().joined(separator: ", ")); only a role cleared for that may take a clip out of it",
                              zh: "案件 \(caseNumber) 涉及\(flags.map(\.nameZh).sorted().joined(separator: "、"))，只有具备相应密级权限的人员才能将录像移出")
        }
    }

    /// The hold covering a clip or its case (`clip:<sha>` or `case:<number>`), if any.
    static func heldTarget(clip sha256: String?, caseNumber: String?, db: Database) throws -> String? {
        let targets = [sha256.map { "clip:" + $0 }, caseNumber.map { "case:" + $0 }].compactMap { $0 }
        return try targets.first { try Bool.fetchOne(db, sql: "SELECT 1 FROM active_hold WHERE target = ?", arguments: [$0]) == true }
    }

    /// The confidentiality flags in force on one target (`clip:<sha>` or `case:<number>`).
    static func flagsInForce(target: String, db: Database) throws -> Set<Confidentiality> {
        Set(try String.fetchAll(db, sql: """
            SELECT e.flag FROM confidentiality_event e
            WHERE e.target = ? AND e.action = 'add' AND e.id = (SELECT max(id) FROM confidentiality_event WHERE target = e.target AND flag = e.flag)
            """, arguments: [target]).compactMap(Confidentiality.init(rawValue:)))
    }
}
