import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// The clips recorded in [from, to) (corrected recording time; ingest time when unknown),
    /// with what a compliance report needs of each.
    public func reportClips(from: Date, to: Date) throws -> [ReportClip] {
        let ledgerFlags = Set(ClipFlag.ledgerFlags.map(\.rawValue))
        return try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.officer_badge, o.name AS officer_name, coalesce(o.unit, d.unit) AS unit, c.device_serial,
                       c.duration_seconds, c.late_seconds, c.annotation_due_at, c.annotated_at, c.flags
                FROM clip c
                LEFT JOIN current_officer o ON o.badge = c.officer_badge
                LEFT JOIN current_device d ON d.serial = c.device_serial
                WHERE coalesce(c.corrected_recorded_at, c.recorded_at, c.ingested_at) >= ?
                  AND coalesce(c.corrected_recorded_at, c.recorded_at, c.ingested_at) < ?
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
