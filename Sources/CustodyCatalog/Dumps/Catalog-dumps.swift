import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// Starts a dump for a newly seen medium, audited as `dump.start`.
    public func startDump(sourceKind: String, mountPoint: String, mountSource: String, fsType: String,
                          mountKey: String, mountID: Int?, at: Date = Date()) throws -> Dump {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO dump (source_kind, mount_point, mount_source, fs_type, mount_key, mount_id, state, started_at)
                VALUES (?, ?, ?, ?, ?, ?, 'scanning', ?)
                """, arguments: [sourceKind, mountPoint, mountSource, fsType, mountKey, mountID, at.timeIntervalSince1970])
            let id = db.lastInsertedRowID
            try AuditLog.append(db, actor: "custodyd", action: "dump.start", object: "dump:\(id)",
                                detail: ["mountPoint": mountPoint, "source": mountSource, "fsType": fsType])
            return Dump(id: id, sourceKind: sourceKind, mountPoint: mountPoint, mountSource: mountSource,
                        fsType: fsType, mountKey: mountKey, mountID: mountID, state: .scanning, startedAt: at)
        }
    }

    /// The most recent dump of the same mount, so a restart resumes it instead of starting over.
    public func latestDump(mountKey: String) throws -> Dump? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM dump WHERE mount_key = ? ORDER BY id DESC LIMIT 1",
                             arguments: [mountKey]).map(Self.dump(from:))
        }
    }

    public func dump(id: Int64) throws -> Dump? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM dump WHERE id = ?", arguments: [id]).map(Self.dump(from:))
        }
    }

    public func dumps(limit: Int = 200) throws -> [Dump] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM dump ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(Self.dump(from:))
        }
    }

    /// Points a resumed dump at the mount it continues on (the medium was plugged in again).
    public func setDumpMount(id: Int64, mountID: Int?) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE dump SET mount_id = ? WHERE id = ?", arguments: [mountID, id])
        }
    }

    /// Records a state change with its reason, audited (`dump.complete`, `dump.interrupted`, ...).
    public func setDumpState(id: Int64, _ state: Dump.State, reason: String? = nil, at: Date = Date()) throws {
        try pool.write { db in
            let finished: Double? = [.complete, .interrupted, .refused].contains(state) ? at.timeIntervalSince1970 : nil
            try db.execute(sql: "UPDATE dump SET state = ?, state_reason = ?, finished_at = ? WHERE id = ?",
                           arguments: [state.rawValue, reason, finished, id])
            try AuditLog.append(db, actor: "custodyd", action: "dump.\(state.rawValue)", object: "dump:\(id)",
                                detail: reason.map { ["reason": $0] } ?? [:])
        }
    }

    /// Progress counters; not audited (they are derived from provenance and issue rows).
    public func setDumpProgress(id: Int64, filesTotal: Int64, bytesTotal: Int64, filesDone: Int64,
                                bytesDone: Int64, errors: Int64) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE dump SET files_total = ?, bytes_total = ?, files_done = ?, bytes_done = ?, errors = ?
                WHERE id = ?
                """, arguments: [filesTotal, bytesTotal, filesDone, bytesDone, errors, id])
        }
    }

    /// What the medium says about itself: claimed serial and badge, and the device's clock offset
    /// with what it rests on. A clerk's offset (set or cleared) on a resumed dump is kept.
    public func setDumpIdentity(id: Int64, deviceSerial: String?, officerBadge: String?,
                                newestClaimedAt: Date?, clock: ClockEstimate) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE dump SET device_serial = ?, officer_badge = ?, newest_claimed_at = ?, clock_offset_estimate = ?,
                                clock_outliers = ?,
                                clock_offset_seconds = CASE WHEN clock_basis IN ('clerk', 'cleared') THEN clock_offset_seconds ELSE ? END,
                                clock_basis = CASE WHEN clock_basis IN ('clerk', 'cleared') THEN clock_basis ELSE ? END
                WHERE id = ?
                """, arguments: [deviceSerial, officerBadge, newestClaimedAt?.timeIntervalSince1970, clock.offsetSeconds,
                                 clock.outliers.count, clock.offsetSeconds, clock.basis.rawValue, id])
        }
    }

    /// Marks every dump left active by a previous run as interrupted (startup recovery).
    public func interruptActiveDumps(reason: String) throws -> [Dump] {
        let active = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM dump WHERE state IN ('scanning','copying','paused','releasing')")
                .map(Self.dump(from:))
        }
        for dump in active { try setDumpState(id: dump.id, .interrupted, reason: reason) }
        return active
    }

    /// Records a refused or failed file, audited, so nothing on the medium is skipped silently.
    public func recordIssue(dumpID: Int64, path: RawPath?, kind: String, message: String, at: Date = Date()) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO dump_issue (dump_id, source_path_raw, source_path, kind, message, at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [dumpID, path.map { Data($0.bytes) }, path?.display, kind, message,
                                 at.timeIntervalSince1970])
            try AuditLog.append(db, actor: "custodyd", action: "file.\(kind)", object: "dump:\(dumpID)",
                                detail: ["path": path?.display ?? "", "message": message])
        }
    }

    public func issues(dumpID: Int64) throws -> [DumpIssue] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM dump_issue WHERE dump_id = ? ORDER BY id", arguments: [dumpID])
                .map { row in
                    DumpIssue(dumpID: row["dump_id"], sourcePath: row["source_path"], kind: row["kind"],
                              message: row["message"], at: Date(timeIntervalSince1970: row["at"]))
                }
        }
    }

    static func dump(from row: Row) -> Dump {
        var dump = Dump(id: row["id"], sourceKind: row["source_kind"], mountPoint: row["mount_point"],
             mountSource: row["mount_source"], fsType: row["fs_type"], mountKey: row["mount_key"],
             mountID: row["mount_id"], deviceSerial: row["device_serial"], officerBadge: row["officer_badge"],
             state: Dump.State(rawValue: row["state"]) ?? .interrupted, stateReason: row["state_reason"],
             startedAt: Date(timeIntervalSince1970: row["started_at"]),
             finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
             filesTotal: row["files_total"], bytesTotal: row["bytes_total"], filesDone: row["files_done"],
             bytesDone: row["bytes_done"], errors: row["errors"], clockOffsetSeconds: row["clock_offset_seconds"])
        dump.clockBasis = (row["clock_basis"] as String?).flatMap(ClockEstimate.Basis.init(rawValue:))
        dump.clockOffsetEstimate = row["clock_offset_estimate"]
        dump.clockOutliers = row["clock_outliers"] ?? 0
        return dump
    }
}
