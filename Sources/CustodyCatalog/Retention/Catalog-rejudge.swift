import Crypto
import CustodyCore
import Foundation
import GRDB

/// What a start under changed retention, calendar or deadline settings did to the clips already
/// in the catalog (issue 19, item 3).
public struct PolicyRejudgement: Sendable, Equatable {
    /// The settings the clips were judged under before; nil when the catalog never recorded them.
    public var previous: String?
    public var current: String
    /// Clips judged again (every clip not disposed).
    public var clips: Int
    /// Clips whose retention class or retain-until, or upload / annotation verdict, changed.
    public var changed: Int
    public var retentionChanged: Int
    public var deadlineChanged: Int
}

extension Catalog {
    /// The settings a clip's retention and deadline verdicts depend on, as one line a person can
    /// read in the audit event; the working-day calendar as a digest of its days.
    /// An accepted `retention_override_reason` is part of it, so the bound event records it.
    public static func judgedSettings(_ policy: MatchPolicy, retentionOverride: String? = nil) -> String {
        let r = policy.retention, d = policy.deadlines, cal = policy.calendar
        var days = cal.holidays.keys.sorted().map { "h\($0)" } + cal.workdays.keys.sorted().map { "w\($0)" }
        days.append(cal.timeZone.identifier)
        let digest = SHA256.hash(data: Data(days.joined(separator: ",").utf8)).map { String(format: "%02x", $0) }.joined()
        return [
            "retention_months=\(r.routineMonths)", "evidence_years=\(r.evidenceYears.map(String.init) ?? "-")",
            "long_term_store_months=\(r.longTermStoreMonths.map(String.init) ?? "-")", "upload=\(d.upload)",
            "offsite_from_checkin=\(d.offsiteFromCheckin)", "exception_max=\(d.exceptionMaximum.map(String.init(describing:)) ?? "-")",
            "annotation=\(d.annotation)", "calendar=\(cal.years.map(String.init).joined(separator: "+"))/\(digest.prefix(16))",
        ].joined(separator: " ") + (retentionOverride.map { " retention_override_reason=\($0)" } ?? "")
    }

    /// At start: when the settings differ from those the catalog last judged under, judges every
    /// clip not disposed again (retention class and retain-until, upload verdict, annotation due
    /// time) in one transaction, audited as ONE bound event `policy.rejudge` carrying the counts,
    /// the old and new settings and the image of every changed clip (so `audit verify` replays
    /// it). Returns nil when nothing was to be judged (same settings, or a catalog with no clips,
    /// which just records them).
    public func rejudgeIfPolicyChanged(policy: MatchPolicy, retentionOverride: String? = nil, actor: String,
                                       now: Date = Date()) throws -> PolicyRejudgement? {
        let current = Self.judgedSettings(policy, retentionOverride: retentionOverride)
        return try pool.write { db -> PolicyRejudgement? in
            let previous = try String.fetchOne(db, sql: "SELECT settings FROM policy_judged WHERE id = 1")
            guard previous != current else { return nil }
            try db.execute(sql: "INSERT OR REPLACE INTO policy_judged (id, settings, judged_at) VALUES (1, ?, ?)",
                           arguments: [current, now.timeIntervalSince1970])
            if previous == nil, try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM clip)") == true { return nil }
            var outcome = PolicyRejudgement(previous: previous, current: current, clips: 0, changed: 0, retentionChanged: 0, deadlineChanged: 0)
            var changed: [BoundRow] = []
            var ledgers: [String: CameraLedger] = [:]
            for old in try Row.fetchAll(db, sql: "SELECT * FROM clip WHERE disposed_at IS NULL ORDER BY sha256").map(Self.clip(from:)) {
                outcome.clips += 1
                let deadline = try Self.judgedAgain(old, policy: policy, now: now, ledgers: &ledgers, db: db)
                let retention = try Self.recomputeRetention([old.sha256], policy: policy, actor: actor, audit: false, db: db) > 0
                if deadline { outcome.deadlineChanged += 1 }
                if retention { outcome.retentionChanged += 1 }
                if deadline || retention { changed.append(.clip(old.sha256)) }
            }
            outcome.changed = changed.count
            try AuditLog.append(db, actor: actor, action: "policy.rejudge", object: "policy",
                                detail: ["clips": String(outcome.clips), "changed": String(outcome.changed),
                                         "retentionChanged": String(outcome.retentionChanged),
                                         "deadlineChanged": String(outcome.deadlineChanged),
                                         "settings": current, "was": previous ?? ""],
                                rows: changed)
            return outcome
        }
    }

    /// The upload verdict and annotation due time of one clip under `policy`, written when they
    /// changed; true when they did. Only the verdict is taken from the match: officer and
    /// handover stay as they are (the ledger did not change, the rules did).
    static func judgedAgain(_ old: Clip, policy: MatchPolicy, now: Date, ledgers: inout [String: CameraLedger], db: Database) throws -> Bool {
        var matched = old
        matched.annotationDueAt = nil
        var ledger = try old.deviceSerial.map { try ledgers[$0] ?? CameraLedger.load(serial: $0, db: db) }
        try applyMatch(&matched, policy: policy, now: now, ledger: &ledger, db: db)
        if let serial = old.deviceSerial, let ledger { ledgers[serial] = ledger }
        let late = ClipFlag.late.rawValue
        var flags = old.flags
        if old.flags.contains(late) != matched.late { flags = matched.late ? old.flags + [late] : old.flags.filter { $0 != late } }
        guard matched.dueAt != old.dueAt || matched.late != old.late || matched.lateSeconds != old.lateSeconds
                || matched.deadlineRule != old.deadlineRule || matched.annotationDueAt != old.annotationDueAt || flags != old.flags else { return false }
        try db.execute(sql: """
            UPDATE clip SET flags = ?, due_at = ?, late = ?, late_seconds = ?, deadline_rule = ?, annotation_due_at = ? WHERE sha256 = ?
            """, arguments: [JSONText.encode(flags), matched.dueAt?.timeIntervalSince1970, matched.late, matched.lateSeconds,
                             matched.deadlineRule, matched.annotationDueAt?.timeIntervalSince1970, old.sha256])
        return true
    }
}
