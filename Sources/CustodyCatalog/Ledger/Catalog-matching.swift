import CustodyCore
import Foundation
import GRDB

/// What matching needs to know of one camera: whether the ledger registers it, its current
/// handovers, and (as they are asked for) which of them carry an approved exception. Read once
/// per re-match, not once per clip: a camera with a year of clips has thousands.
struct CameraLedger {
    var registered: Bool
    var handovers: [Handover]
    var exceptions: [Int64: Bool] = [:]

    /// The camera's ledger, creating the placeholder device for a serial the ledger lacks.
    static func load(serial: String, db: Database) throws -> CameraLedger {
        let device = try Catalog.deviceOrPlaceholder(serial: serial, db: db)
        return CameraLedger(registered: !device.placeholder, handovers: try Catalog.handovers(serial: serial, db: db))
    }

    mutating func exceptionGranted(_ handoverID: Int64, db: Database) throws -> Bool {
        if let known = exceptions[handoverID] { return known }
        let granted = try Catalog.exceptionGranted(handoverID: handoverID, db: db)
        exceptions[handoverID] = granted
        return granted
    }
}

extension Catalog {
    /// Decides a clip's device and officer from the ledger (ledger issue, "Matching"): a placeholder
    /// device for an unknown serial, the officer from the handover covering the corrected time, and
    /// the ledger flags. Other flags are kept.
    static func applyMatch(_ clip: inout Clip, policy: MatchPolicy, now: Date, db: Database) throws {
        var ledger = try clip.deviceSerial.map { try CameraLedger.load(serial: $0, db: db) }
        try applyMatch(&clip, policy: policy, now: now, ledger: &ledger, db: db)
    }

    /// The same with the camera's ledger already read (`ledger` is nil for a clip without a serial).
    static func applyMatch(_ clip: inout Clip, policy: MatchPolicy, now: Date, ledger: inout CameraLedger?, db: Database) throws {
        let match = ClipMatcher.match(claimedBadge: clip.claimedBadge, recordedAt: clip.recordedAt,
                                      clockOffsetSeconds: clip.clockOffsetSeconds, deviceSerial: clip.deviceSerial,
                                      deviceRegistered: ledger?.registered ?? false, handovers: ledger?.handovers ?? [],
                                      policy: policy, now: now)
        let ledgerFlags = Set(ClipFlag.ledgerFlags.map(\.rawValue))
        clip.flags = clip.flags.filter { !ledgerFlags.contains($0) } + match.flags.map(\.rawValue)
        clip.officerBadge = match.officerBadge ?? clip.claimedBadge
        clip.handoverID = match.handoverID
        clip.correctedRecordedAt = match.correctedRecordedAt
        let handover = ledger?.handovers.first { $0.id == match.handoverID }
        var exception = false
        if let id = handover?.id, var known = ledger {
            exception = try known.exceptionGranted(id, db: db)
            ledger = known
        }
        judge(&clip, handover: handover, exceptionGranted: exception, policy: policy)
    }

    /// The upload verdict (deadlines issue, "Judging every clip at ingest"): due time from the
    /// recording end or the off-site check-in, lateness at ingest, the rule applied, and the
    /// annotation due time. Recomputed with the match whenever the ledger changes.
    static func judge(_ clip: inout Clip, handover: Handover?, exceptionGranted exception: Bool, policy: MatchPolicy) {
        let start = clip.correctedRecordedAt ?? clip.recordedAt
        let verdict = policy.deadlines.judgeUpload(recordingEnd: start.map { $0.addingTimeInterval(clip.durationSeconds ?? 0) },
                                                   handover: handover, exceptionGranted: exception,
                                                   ingestedAt: clip.ingestedAt, calendar: policy.calendar)
        clip.dueAt = verdict.dueAt
        clip.lateSeconds = verdict.lateSeconds
        clip.late = verdict.late
        clip.deadlineRule = verdict.rule
        clip.flags.removeAll { $0 == ClipFlag.late.rawValue }
        if verdict.late { clip.flags.append(ClipFlag.late.rawValue) }
        if clip.annotationDueAt == nil {
            clip.annotationDueAt = policy.deadlines.annotation.due(from: clip.ingestedAt, calendar: policy.calendar)
        }
    }

    /// Matches every clip of a device again after its ledger changed; each clip whose officer or
    /// flags change gets an audit row (`clip.rematch`). Returns how many changed.
    @discardableResult
    static func rematch(serial: String, actor: String, policy: MatchPolicy, now: Date, db: Database) throws -> Int {
        let clips = try Row.fetchAll(db, sql: "SELECT * FROM clip WHERE device_serial = ?", arguments: [serial]).map(clip(from:))
        var ledger: CameraLedger? = try CameraLedger.load(serial: serial, db: db)
        var changed = 0
        for old in clips {
            var clip = old
            try applyMatch(&clip, policy: policy, now: now, ledger: &ledger, db: db)
            guard clip.officerBadge != old.officerBadge || clip.flags != old.flags || clip.handoverID != old.handoverID
                    || clip.dueAt != old.dueAt || clip.deadlineRule != old.deadlineRule else { continue }
            try db.execute(sql: """
                UPDATE clip SET officer_badge = ?, handover_id = ?, corrected_recorded_at = ?, flags = ?,
                                due_at = ?, late = ?, late_seconds = ?, deadline_rule = ? WHERE sha256 = ?
                """, arguments: [clip.officerBadge, clip.handoverID, clip.correctedRecordedAt?.timeIntervalSince1970,
                                 JSONText.encode(clip.flags), clip.dueAt?.timeIntervalSince1970, clip.late,
                                 clip.lateSeconds, clip.deadlineRule, clip.sha256])
            try AuditLog.append(db, actor: actor, action: "clip.rematch", object: "clip:\(clip.sha256)",
                                detail: ["officer": clip.officerBadge ?? "", "was": old.officerBadge ?? "",
                                         "flags": clip.flags.joined(separator: ","), "handover": clip.handoverID.map(String.init) ?? "",
                                         "due": clip.dueAt.map { String(Int64($0.timeIntervalSince1970)) } ?? "",
                                         "rule": clip.deadlineRule ?? ""],
                                rows: [.clip(clip.sha256)])
            changed += 1
        }
        return changed
    }
}
