import CustodyCore
import Foundation
import GRDB

/// A clerk's correction or a re-parse as recorded: what changed, from what, why and by whom.
public struct ClipRevision: Sendable, Equatable {
    public var kind: String
    public var before: [String: String]
    public var after: [String: String]
    public var reason: String
    public var recordedBy: String
    public var recordedAt: Date
}

extension Catalog {
    /// Which clips a correction is for: one clip, or every clip a dump found.
    public enum ClipSelection: Sendable, Equatable {
        case clip(String)
        case dump(Int64)

        /// Disposed clips are never selected: nothing changes a clip once disposed (issue 19).
        var sql: (String, StatementArguments) {
            switch self {
            case .clip(let sha256): return ("SELECT * FROM clip WHERE sha256 = ? AND disposed_at IS NULL", [sha256])
            case .dump(let id):
                return ("SELECT * FROM clip WHERE sha256 IN (SELECT clip_sha256 FROM provenance WHERE dump_id = ?) AND disposed_at IS NULL", [id])
            }
        }
    }

    /// Applies a clerk's correction (attribution issue, item 5) in one transaction: for each clip
    /// the clerk's values in force, a `clip_correction` row and a `clip.correct` audit row with the
    /// values before and after, then the clips matched and judged again (`clip.rematch` rows).
    /// An officer or device the ledger does not know is refused (register them first).
    /// - Returns: how many clips were corrected and how many of them changed officer, flags or verdict.
    public func correct(_ selection: ClipSelection, _ correction: ClipCorrection, actor: String, policy: MatchPolicy,
                        now: Date = Date()) throws -> (clips: Int, rejudged: Int) {
        try pool.write { db in
            if case .set(let badge) = correction.officer, try Self.officer(badge: badge, db: db) == nil { throw LedgerError.unknownOfficer(badge) }
            if case .set(let serial) = correction.device {
                guard let device = try Self.device(serial: serial, db: db), !device.placeholder else { throw LedgerError.unknownDevice(serial) }
            }
            let (sql, arguments) = selection.sql
            let clips = try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.clip(from:))
            for clip in clips {
                let serial = correction.device.applied(to: clip.clerkSerial)
                let badge = correction.officer.applied(to: clip.clerkBadge)
                let time = correction.recordedAt.applied(to: clip.clerkRecordedAt)
                try db.execute(sql: """
                    UPDATE clip SET clerk_serial = ?, clerk_badge = ?, clerk_recorded_at = ?, device_serial = ? WHERE sha256 = ?
                    """, arguments: [serial, badge, time?.timeIntervalSince1970, serial ?? clip.claimedSerial, clip.sha256])
                let before = Self.clerkFields(serial: clip.clerkSerial, badge: clip.clerkBadge, time: clip.clerkRecordedAt)
                    .merging(["device": clip.deviceSerial ?? "", "officer": clip.officerBadge ?? "", "recordedAt": Self.epoch(clip.correctedRecordedAt ?? clip.recordedAt)]) { $1 }
                let after = Self.clerkFields(serial: serial, badge: badge, time: time).merging(["device": serial ?? clip.claimedSerial ?? ""]) { $1 }
                try Self.recordRevision(sha256: clip.sha256, kind: "correct", before: before, after: after, reason: correction.reason,
                                        actor: actor, now: now, db: db)
            }
            let rejudged = try Self.rematch(sql: sql, arguments: arguments, actor: actor, policy: policy, now: now, db: db)
            return (clips.count, rejudged)
        }
    }

    /// The clerk's values in force, as audit fields ("" for none).
    static func clerkFields(serial: String?, badge: String?, time: Date?) -> [String: String] {
        ["clerkSerial": serial ?? "", "clerkBadge": badge ?? "", "clerkRecordedAt": epoch(time)]
    }

    /// One revision of a clip's attribution: a `clip_correction` row and its `clip.<kind>` audit
    /// row carrying the values before (`…Was`) and after, enough to rebuild the clip from the chain.
    static func recordRevision(sha256: String, kind: String, before: [String: String], after: [String: String], reason: String,
                               actor: String, now: Date, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO clip_correction (clip_sha256, kind, before, after, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sha256, kind, JSONText.encode(before), JSONText.encode(after), reason, actor, now.timeIntervalSince1970])
        var detail = after.merging(before.map { ($0.key + "Was", $0.value) }) { $1 }
        detail["reason"] = reason
        try AuditLog.append(db, actor: actor, action: "clip.\(kind)", object: "clip:\(sha256)", detail: detail,
                            rows: [.clip(sha256), BoundRow(.clipCorrection, db.lastInsertedRowID)])
    }

    /// A clip's corrections and re-parses, oldest first.
    public func revisions(sha256: String) throws -> [ClipRevision] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM clip_correction WHERE clip_sha256 = ? ORDER BY id", arguments: [sha256]).map { row in
                ClipRevision(kind: row["kind"], before: JSONText.decodeDictionary(row["before"]), after: JSONText.decodeDictionary(row["after"]),
                             reason: row["reason"], recordedBy: row["recorded_by"], recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
            }
        }
    }
}
