import CustodyCore
import Foundation
import GRDB

/// A clip's retention as the catalog derives it (retention issue, "Retention classes").
public struct RetentionState: Sendable, Equatable, Codable {
    public var retentionClass: String
    public var retainUntil: Date?
    public var held: Bool
    public var holdReasons: [String]
    public var longTermReasons: [String]
    public var disposedAt: Date?
}

extension Catalog {
    /// Recomputes the retention class and retain-until of the clips given (after a mark, an
    /// annotation moving a clip to a case, or a case being archived). Changes are audited.
    /// The first computation at ingest is not audited separately (the `clip.ingest` row covers it).
    /// Returns how many clips changed.
    @discardableResult
    static func recomputeRetention(_ hashes: [String], policy: MatchPolicy, actor: String, audit: Bool = true, db: Database) throws -> Int {
        var changed = 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = policy.calendar.timeZone
        for hash in hashes {
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT c.retention_class, c.retain_until, c.case_number,
                       coalesce(c.corrected_recorded_at, c.recorded_at, c.ingested_at) AS start,
                       EXISTS (SELECT 1 FROM long_term_mark m WHERE m.clip_sha256 = c.sha256) AS long_term
                FROM clip c WHERE c.sha256 = ?
                """), arguments: [hash]) else { continue }
            let caseNumber: String? = row["case_number"]
            let kind = RetentionPolicy.classify(longTerm: row["long_term"], caseNumber: caseNumber)
            let archived = try caseNumber.flatMap { try Self.legalCase(number: $0, db: db)?.archivedAt }
            let until = policy.retention.retainUntil(class: kind, recordedAt: Date(timeIntervalSince1970: row["start"]),
                                                     caseArchivedAt: archived, calendar: calendar)
            let oldClass: String = row["retention_class"]
            let oldUntil: Double? = row["retain_until"]
            guard oldClass != kind.rawValue || oldUntil != until?.timeIntervalSince1970 else { continue }
            try db.cachedStatement(sql: "UPDATE clip SET retention_class = ?, retain_until = ? WHERE sha256 = ?")
                .execute(arguments: [kind.rawValue, until?.timeIntervalSince1970, hash])
            changed += 1
            guard audit else { continue }
            try AuditLog.append(db, actor: actor, action: "clip.retention", object: "clip:\(hash)",
                                detail: ["class": kind.rawValue, "was": oldClass,
                                         "retainUntil": until.map { String(Int64($0.timeIntervalSince1970)) } ?? "kept"],
                                rows: [.clip(hash)])
        }
        return changed
    }

    /// Marks a clip for long-term keeping on disc with a reason from the rules; audited.
    public func markLongTerm(sha256: String, reason: LongTermReason, note: String, actor: String, policy: MatchPolicy) throws {
        try pool.write { db in
            guard let disposed = try Row.fetchOne(db, sql: "SELECT disposed_at FROM clip WHERE sha256 = ?", arguments: [sha256]) else {
                throw LedgerError("unknown-clip", "no clip \(sha256)", zh: "没有录像 \(sha256)")
            }
            guard (disposed["disposed_at"] as Double?) == nil else {
                throw LedgerError("disposed", "clip \(sha256.prefix(12)) was disposed; it cannot be kept long-term",
                                  zh: "录像 \(sha256.prefix(12)) 已销毁，不能转为长期保存")
            }
            if reason.needsNote && note.trimmingCharacters(in: .whitespaces).isEmpty {
                throw LedgerError("note-required", "reason other-major needs a note saying what the matter is",
                                  zh: "原因为“其他重大、敏感事项”时须填写说明")
            }
            try db.execute(sql: "INSERT INTO long_term_mark (clip_sha256, reason, note, marked_by, marked_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [sha256, reason.rawValue, note, actor, Date().timeIntervalSince1970])
            try AuditLog.append(db, actor: actor, action: "clip.long-term", object: "clip:\(sha256)",
                                detail: ["reason": reason.rawValue, "note": note], rows: [BoundRow(.longTermMark, db.lastInsertedRowID)])
            try Self.recomputeRetention([sha256], policy: policy, actor: actor, db: db)
        }
    }

    /// Places or lifts a legal hold on `clip:<sha>` or `case:<number>`; audited. A hold stops disposal.
    public func setHold(target: String, add: Bool, reason: String, actor: String) throws {
        try pool.write { db in
            let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw LedgerError("bad-target", "hold target must be clip:<sha256> or case:<number>", zh: "冻结对象格式不正确") }
            if parts[0] == "clip" {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clip WHERE sha256 = ?", arguments: [parts[1]]) == true else {
                    throw LedgerError("unknown-clip", "no clip \(parts[1])", zh: "没有录像 \(parts[1])")
                }
            } else if try Self.legalCase(number: parts[1], db: db) == nil {
                throw LedgerError("unknown-case", "case \(parts[1]) is not registered", zh: "案件 \(parts[1]) 未登记")
            }
            let active = try Bool.fetchOne(db, sql: "SELECT 1 FROM active_hold WHERE target = ?", arguments: [target]) == true
            if add == active {
                throw LedgerError(add ? "already-held" : "not-held", add ? "\(target) is already on hold" : "\(target) is not on hold",
                                  zh: add ? "\(target) 已处于冻结状态" : "\(target) 未被冻结")
            }
            try db.execute(sql: "INSERT INTO hold_event (target, action, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [target, add ? "add" : "remove", reason, actor, Date().timeIntervalSince1970])
            try AuditLog.append(db, actor: actor, action: add ? "hold.add" : "hold.remove", object: target, detail: ["reason": reason],
                                rows: [BoundRow(.holdEvent, db.lastInsertedRowID)])
        }
    }

    public func retentionState(sha256: String) throws -> RetentionState? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT retention_class, retain_until, disposed_at, case_number FROM clip WHERE sha256 = ?",
                                             arguments: [sha256]) else { return nil }
            let caseNumber: String? = row["case_number"]
            let holds = try String.fetchAll(db, sql: "SELECT reason FROM active_hold WHERE target IN (?, ?)",
                                            arguments: ["clip:\(sha256)", "case:\(caseNumber ?? "")"])
            let reasons = try String.fetchAll(db, sql: "SELECT reason FROM long_term_mark WHERE clip_sha256 = ? ORDER BY id", arguments: [sha256])
            return RetentionState(retentionClass: row["retention_class"],
                                  retainUntil: (row["retain_until"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                  held: !holds.isEmpty, holdReasons: holds, longTermReasons: reasons,
                                  disposedAt: (row["disposed_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// Clips the camera marked important (IMP) that no one has marked long-term yet: proposals
    /// for the clerk to confirm or let pass.
    public func longTermProposals() throws -> [Clip] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.* FROM clip_flag f JOIN clip c ON c.sha256 = f.clip_sha256
                WHERE f.flag = 'important' AND c.disposed_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM long_term_mark m WHERE m.clip_sha256 = c.sha256)
                ORDER BY c.recorded_at
                """).map(Self.clip(from:))
        }
    }
}
