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
    /// A recording cannot end after it was docked, so times are judged against the ingest time
    /// (attribution issue, item 1: a clock glitch stays implausible when the clip is matched again
    /// days later).
    static func applyMatch(_ clip: inout Clip, policy: MatchPolicy, now: Date, ledger: inout CameraLedger?, db: Database) throws {
        // A clerk's time replaces the camera's, with no clock offset left to apply (item 5).
        var match = ClipMatcher.match(claimedBadge: clip.clerkBadge ?? clip.claimedBadge, recordedAt: clip.clerkRecordedAt ?? clip.recordedAt,
                                      clockOffsetSeconds: clip.clerkRecordedAt == nil ? clip.clockOffsetSeconds : nil,
                                      deviceSerial: clip.deviceSerial, deviceRegistered: ledger?.registered ?? false,
                                      handovers: ledger?.handovers ?? [], policy: policy, now: min(now, clip.ingestedAt))
        var handover = ledger?.handovers.first { $0.id == match.handoverID }
        try attributeBeyondDevice(clip, &match, &handover, db: db)
        let ledgerFlags = Set(ClipFlag.ledgerFlags.map(\.rawValue))
        clip.flags = clip.flags.filter { !ledgerFlags.contains($0) } + match.flags.map(\.rawValue)
        clip.officerBadge = match.officerBadge ?? clip.claimedBadge
        clip.handoverID = match.handoverID
        clip.correctedRecordedAt = match.correctedRecordedAt
        var exception = false
        if let id = handover?.id {
            if var known = ledger {
                exception = try known.exceptionGranted(id, db: db)
                ledger = known
            } else {
                exception = try exceptionGranted(handoverID: id, db: db)
            }
        }
        judge(&clip, handover: handover, exceptionGranted: exception, policy: policy)
    }

    /// The upload verdict (deadlines issue, "Judging every clip at ingest"): due time from the
    /// recording end or the off-site check-in, lateness at ingest, the rule applied, and the
    /// annotation due time. Recomputed with the match whenever the ledger changes. A clip whose
    /// recording time is implausible (a 2010 reset, a future date) gets no verdict until a clerk
    /// corrects its time (attribution issue, item 3): not late, not due, out of late counts.
    static func judge(_ clip: inout Clip, handover: Handover?, exceptionGranted exception: Bool, policy: MatchPolicy) {
        if clip.annotationDueAt == nil {
            clip.annotationDueAt = policy.deadlines.annotation.due(from: clip.ingestedAt, calendar: policy.calendar)
        }
        clip.flags.removeAll { $0 == ClipFlag.late.rawValue }
        if clip.flags.contains(ClipFlag.timeImplausible.rawValue) {
            (clip.dueAt, clip.lateSeconds, clip.late, clip.deadlineRule) = (nil, 0, false, UploadJudgement.noVerdictRule)
            return
        }
        let start = clip.correctedRecordedAt ?? clip.recordedAt
        let verdict = policy.deadlines.judgeUpload(recordingEnd: start.map { $0.addingTimeInterval(clip.durationSeconds ?? 0) },
                                                   handover: handover, exceptionGranted: exception,
                                                   ingestedAt: clip.ingestedAt, calendar: policy.calendar)
        clip.dueAt = verdict.dueAt
        clip.lateSeconds = verdict.lateSeconds
        clip.late = verdict.late
        clip.deadlineRule = verdict.rule
        if verdict.late { clip.flags.append(ClipFlag.late.rawValue) }
    }

    /// Matches every clip of a device (and the clips of no known device of its officers) again
    /// after its ledger changed; each clip whose officer or flags change gets an audit row
    /// (`clip.rematch`). Returns how many changed.
    @discardableResult
    static func rematch(serial: String, actor: String, policy: MatchPolicy, now: Date, db: Database) throws -> Int {
        // Clips of no known device follow the handovers of their officer (item 4).
        try rematch(sql: """
            SELECT * FROM clip WHERE device_serial = ?
               OR (device_serial IS NULL AND claimed_badge IN (SELECT badge FROM handover WHERE serial = ?))
            """, arguments: [serial, serial], actor: actor, policy: policy, now: now, db: db)
    }

    /// Matches and judges the clips a query selects again (the ledger, a docking's clock offset or
    /// a clerk's correction changed); each clip whose officer, flags, corrected time or verdict
    /// changes is updated with an audit row (`clip.rematch`) carrying the new values and the old.
    @discardableResult
    static func rematch(sql: String, arguments: StatementArguments, actor: String, policy: MatchPolicy, now: Date,
                        db: Database) throws -> Int {
        let clips = try Row.fetchAll(db, sql: sql, arguments: arguments).map(clip(from:))
        var ledgers: [String: CameraLedger] = [:]
        var changed: [String] = []
        for old in clips {
            var clip = old
            var ledger = try old.deviceSerial.map { try ledgers[$0] ?? CameraLedger.load(serial: $0, db: db) }
            try applyMatch(&clip, policy: policy, now: now, ledger: &ledger, db: db)
            if let serial = old.deviceSerial, let ledger { ledgers[serial] = ledger }
            guard clip.officerBadge != old.officerBadge || clip.flags != old.flags || clip.handoverID != old.handoverID
                    || clip.dueAt != old.dueAt || clip.deadlineRule != old.deadlineRule || clip.late != old.late
                    || clip.correctedRecordedAt != old.correctedRecordedAt else { continue }
            try db.execute(sql: """
                UPDATE clip SET officer_badge = ?, handover_id = ?, corrected_recorded_at = ?, flags = ?,
                                due_at = ?, late = ?, late_seconds = ?, deadline_rule = ? WHERE sha256 = ?
                """, arguments: [clip.officerBadge, clip.handoverID, clip.correctedRecordedAt?.timeIntervalSince1970,
                                 JSONText.encode(clip.flags), clip.dueAt?.timeIntervalSince1970, clip.late,
                                 clip.lateSeconds, clip.deadlineRule, clip.sha256])
            try AuditLog.append(db, actor: actor, action: "clip.rematch", object: "clip:\(clip.sha256)",
                                detail: ["officer": clip.officerBadge ?? "", "was": old.officerBadge ?? "",
                                         "flags": clip.flags.joined(separator: ","), "flagsWere": old.flags.joined(separator: ","),
                                         "handover": clip.handoverID.map(String.init) ?? "",
                                         "corrected": Self.epoch(clip.correctedRecordedAt), "correctedWas": Self.epoch(old.correctedRecordedAt),
                                         "due": Self.epoch(clip.dueAt), "dueWas": Self.epoch(old.dueAt),
                                         "late": String(clip.lateSeconds), "rule": clip.deadlineRule ?? ""],
                                rows: [.clip(clip.sha256)])
            changed.append(clip.sha256)
        }
        // Retention runs from the recording time, which a corrected time moves.
        try recomputeRetention(changed, policy: policy, actor: actor, audit: true, db: db)
        return changed.count
    }

    /// An instant for an audit detail: whole seconds since 1970, "" for none.
    static func epoch(_ date: Date?) -> String { date.map { String(Int64($0.timeIntervalSince1970.rounded())) } ?? "" }
}
