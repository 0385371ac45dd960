import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// The clips recorded in [from, to) (effective recording time: corrected, else camera, else
    /// ingest time), counted by officer, device and flags in SQL, with the officer's name and
    /// unit from the ledger. `now` decides which unannotated clips are already overdue.
    ///
    /// A month of 100,000 clips is one range scan of `clip_recorded` and a few thousand groups,
    /// instead of 100,000 rows decoded one by one (performance issue: a month's report < 1 s).
    public func reportGroups(from: Date, to: Date, now: Date) throws -> [ReportGroup] {
        let ledgerFlags = Set(ClipFlag.ledgerFlags.map(\.rawValue))
        return try pool.read { db in
            var findings: [String: [String]] = [:]
            let window = [now.timeIntervalSince1970, now.timeIntervalSince1970, from.timeIntervalSince1970, to.timeIntervalSince1970]
            return try Row.fetchAll(db, sql: Self.reportGroupsSQL, arguments: StatementArguments(window)).map { row in
                let text: String = row["flags"]
                let flags = findings[text] ?? JSONText.decodeStrings(text).filter { ledgerFlags.contains($0) }
                findings[text] = flags
                return ReportGroup(officerBadge: row["officer_badge"], officerName: row["officer_name"], unit: row["unit"],
                                   deviceSerial: row["device_serial"], flags: flags, clips: row["clips"], recordedSeconds: row["seconds"],
                                   late: row["late"] ?? 0, worstLateSeconds: row["worst"] ?? 0, annotatedOnTime: row["on_time"] ?? 0,
                                   annotationOverdue: row["overdue"] ?? 0)
            }
        }
    }

    /// Clips of a period counted by officer, device and flags (arguments: now, now, from, to), then
    /// named from the ledger: groups first, so the ledger views are read per group, not per clip.
    static let reportGroupsSQL = """
        SELECT g.*, o.name AS officer_name, coalesce(o.unit, d.unit) AS unit FROM (
            SELECT c.officer_badge, c.device_serial, c.flags, count(*) AS clips, total(c.duration_seconds) AS seconds,
                   sum(c.late_seconds > 0) AS late, max(CASE WHEN c.late_seconds > 0 THEN c.late_seconds END) AS worst,
                   sum(c.annotated_at <= c.annotation_due_at AND c.annotation_due_at < ?) AS on_time,
                   sum(c.annotated_at > c.annotation_due_at OR (c.annotated_at IS NULL AND c.disposed_at IS NULL AND c.annotation_due_at < ?)) AS overdue
            FROM clip c
            WHERE \(Catalog.effectiveRecordedAt) >= ? AND \(Catalog.effectiveRecordedAt) < ?
            GROUP BY c.officer_badge, c.device_serial, c.flags) g
        LEFT JOIN current_officer o ON o.badge = g.officer_badge
        LEFT JOIN current_device d ON d.serial = g.device_serial
        """

    /// The late clips of a period (the clips behind the report's late counts), by unit, officer and
    /// recording time. The same range scan of `clip_recorded` as the report.
    public func lateClips(from: Date, to: Date) throws -> [LateClip] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.sha256, c.officer_badge, o.name AS officer_name, coalesce(o.unit, d.unit) AS unit, c.device_serial,
                       \(Self.effectiveRecordedAt) AS recorded, c.due_at, c.ingested_at, c.late_seconds, c.deadline_rule
                FROM clip c
                LEFT JOIN current_officer o ON o.badge = c.officer_badge
                LEFT JOIN current_device d ON d.serial = c.device_serial
                WHERE \(Self.effectiveRecordedAt) >= ? AND \(Self.effectiveRecordedAt) < ? AND c.late_seconds > 0
                ORDER BY unit, c.officer_badge, recorded, c.sha256
                """, arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]).map { row in
                LateClip(sha256: row["sha256"], officerBadge: row["officer_badge"], officerName: row["officer_name"], unit: row["unit"],
                         deviceSerial: row["device_serial"], recordedAt: (row["recorded"] as Double?).map(Date.init(timeIntervalSince1970:)),
                         dueAt: (row["due_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                         ingestedAt: Date(timeIntervalSince1970: row["ingested_at"]), lateSeconds: row["late_seconds"] ?? 0,
                         deadlineRule: row["deadline_rule"])
            }
        }
    }

    /// The same clips one by one: the plain form of `reportGroups`, kept to check it against.
    func reportClips(from: Date, to: Date) throws -> [ReportClip] {
        let ledgerFlags = Set(ClipFlag.ledgerFlags.map(\.rawValue))
        return try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.officer_badge, o.name AS officer_name, coalesce(o.unit, d.unit) AS unit, c.device_serial,
                       c.duration_seconds, c.late_seconds, c.annotation_due_at, c.annotated_at, c.flags
                FROM clip c
                LEFT JOIN current_officer o ON o.badge = c.officer_badge
                LEFT JOIN current_device d ON d.serial = c.device_serial
                WHERE \(Self.effectiveRecordedAt) >= ? AND \(Self.effectiveRecordedAt) < ?
                """, arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]).map { row in
                ReportClip(officerBadge: row["officer_badge"], officerName: row["officer_name"], unit: row["unit"],
                           deviceSerial: row["device_serial"], durationSeconds: row["duration_seconds"] ?? 0,
                           lateSeconds: row["late_seconds"] ?? 0,
                           annotationDueAt: (row["annotation_due_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                           annotatedAt: (row["annotated_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                           flags: JSONText.decodeStrings(row["flags"]).filter { ledgerFlags.contains($0) })
            }
        }
    }
}
