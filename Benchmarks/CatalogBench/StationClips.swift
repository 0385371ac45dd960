import CustodyCore
import Foundation

/// One clip as the catalog would hold it after ingest, matching and judging, plus the bytes of
/// its stand-in store file (whose SHA-256 is the clip's hash).
struct PlannedClip {
    var sha256 = ""
    var content: [UInt8] = []
    var recordedAt: Double?
    var duration: Double = 0
    var serial = ""
    var officerBadge: String?
    var claimedBadge = ""
    var ingestedAt: Double = 0
    var dueAt: Double?
    var late = false
    var lateSeconds: Double = 0
    var deadlineRule = ""
    var flags: [String] = []
    var path = ""
    var clockOffset: Double = 0
    var handoverID: Int64?
    var corrected: Double?
    var annotationDueAt: Double = 0
    var annotatedAt: Double?
    var caseNumber: String?
    var retentionClass = "routine"
    var retainUntil: Double?
    var dumpID: Int64 = 0
    var longTerm = false
}

/// A case (案件) opened around the clips filed under it; closed and archived later, or not yet.
struct PlannedCase {
    var number: String
    var title: String
    var unit: String
    var handler: String
    var openedAt: Double
    var closedAt: Double?
    var archivedAt: Double?
    var privacy = false
}

/// Turns shifts into clips with the real matching and deadline rules (`ClipMatcher`,
/// `DeadlinePolicy`), then annotates a share of them and files some under cases.
struct ClipPlanner {
    let policy: MatchPolicy
    let zone: TimeZone
    let now: Date
    var rng: SplitMix64
    var annotationDelta: [Int: Double] = [:]

    /// Recording times as cameras write them into names: yyyyMMddHHmmss in the station's zone.
    func stamp(_ t: Double) -> String {
        let local = Int(t.rounded(.down)) + zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))
        var days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secs = local - days * 86_400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return String(format: "%04d%02d%02d%02d%02d%02d", y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// The annotation due time: `[deadlines] annotation_working_days` after ingest, cached per
    /// day (the calendar moves a time by whole days at the same wall-clock time).
    mutating func annotationDue(_ ingested: Double) -> Double {
        let offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: ingested)))
        let day = Int(((ingested + offset) / 86_400).rounded(.down))
        if let delta = annotationDelta[day] { return ingested + delta }
        let due = policy.deadlines.annotation.due(from: Date(timeIntervalSince1970: ingested), calendar: policy.calendar)
        let delta = due.timeIntervalSince1970 - ingested
        annotationDelta[day] = delta
        return ingested + delta
    }

    /// The clips of one docked shift, in the order the dump copies them.
    mutating func clips(of shift: PlannedShift, count: Int, dumpID: Int64, serialNumber: Int) -> [PlannedClip] {
        guard let docked = shift.dockedAt, count > 0 else { return [] }
        let end = shift.checkedIn ?? docked
        let span = max(600, end.timeIntervalSince(shift.out) - 900)
        var starts = (0..<count).map { _ in shift.out.timeIntervalSince1970 + 300 + rng.uniform(0...span) }
        starts.sort()
        let handover = Handover(id: shift.checkinID ?? shift.checkoutID, serial: shift.serial, badge: shift.badge,
                                checkedOutAt: shift.out, checkedInAt: shift.checkedIn, offsite: shift.offsite, note: "")
        var result: [PlannedClip] = []
        result.reserveCapacity(count)
        for (k, start) in starts.enumerated() {
            var truth = start
            // A recording started before check-out or after check-in: no handover covers it.
            if rng.chance(0.015) { truth = rng.chance(0.5) ? shift.out.timeIntervalSince1970 - rng.uniform(300...3600)
                                                         : end.timeIntervalSince1970 + rng.uniform(60...1800) }
            var cameraTime = truth + shift.clockOffset
            if rng.chance(0.001) { cameraTime = 1_262_304_000 + rng.uniform(0...86_400 * 30) }  // a 2010 clock reset
            let gap = k + 1 < starts.count ? starts[k + 1] - start : 300
            let duration = rng.chance(0.7) ? min(300, max(5, gap - 2)) : rng.uniform(20...max(21, min(300, gap)))
            let important = rng.chance(0.02)
            let name = "\(shift.claimedBadge)_\(shift.serial)_\(stamp(cameraTime))_\(String(format: "%04d", k + 1))\(important ? "_IMP" : "").MP4"
            var clip = PlannedClip()
            clip.path = "DCIM/100MEDIA/" + name
            clip.content = Array("custody catalog-bench stand-in \(serialNumber + k) \(clip.path)\n".utf8)
            clip.recordedAt = cameraTime
            clip.duration = duration
            clip.serial = shift.serial
            clip.claimedBadge = shift.claimedBadge
            clip.clockOffset = shift.clockOffset
            clip.dumpID = dumpID
            clip.ingestedAt = docked.timeIntervalSince1970 + 4 + Double(k) * 2.5
            let match = ClipMatcher.match(claimedBadge: shift.claimedBadge, recordedAt: Date(timeIntervalSince1970: cameraTime),
                                          clockOffsetSeconds: shift.clockOffset, deviceSerial: shift.serial, deviceRegistered: true,
                                          handovers: [handover], policy: policy, now: now)
            clip.officerBadge = match.officerBadge ?? shift.claimedBadge
            clip.handoverID = match.handoverID
            clip.corrected = match.correctedRecordedAt?.timeIntervalSince1970
            clip.flags = (important ? ["important"] : []) + match.flags.map(\.rawValue)
            let verdict = policy.deadlines.judgeUpload(
                recordingEnd: Date(timeIntervalSince1970: (clip.corrected ?? cameraTime) + duration),
                handover: match.handoverID == nil ? nil : handover, exceptionGranted: false,
                ingestedAt: Date(timeIntervalSince1970: clip.ingestedAt), calendar: policy.calendar)
            clip.dueAt = verdict.dueAt?.timeIntervalSince1970
            clip.late = verdict.late
            clip.lateSeconds = verdict.lateSeconds
            clip.deadlineRule = verdict.rule
            if verdict.late { clip.flags.append(ClipFlag.late.rawValue) }
            clip.annotationDueAt = annotationDue(clip.ingestedAt)
            result.append(clip)
        }
        return result
    }

    /// Annotates about a third of the clips (most on time), files some under cases opened by the
    /// officer's unit, marks recent important clips for long-term keeping, and sets retention.
    mutating func annotate(_ clips: inout [PlannedClip], units: [String: String]) -> [PlannedCase] {
        var cases: [PlannedCase] = []
        var openByUnit: [String: [Int]] = [:]
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        let year = gregorian.component(.year, from: now)
        let nowT = now.timeIntervalSince1970
        for i in clips.indices where rng.chance(0.35) {
            let ingested = clips[i].ingestedAt
            let at = rng.chance(0.85) ? ingested + rng.uniform(1800...(clips[i].annotationDueAt - ingested))
                                      : clips[i].annotationDueAt + rng.uniform(3600...20 * 86_400)
            guard at < nowT else { continue }
            clips[i].annotatedAt = at
            guard rng.chance(0.07), let badge = clips[i].officerBadge, let unit = units[badge] else { continue }
            let recorded = clips[i].corrected ?? ingested
            var open = openByUnit[unit, default: []].filter { recorded - cases[$0].openedAt < 14 * 86_400 }
            if open.isEmpty || rng.chance(0.3) {
                let opened = recorded + rng.uniform(600...7200)
                var legalCase = PlannedCase(number: String(format: "A-%04d-%05d", year, cases.count + 1),
                                            title: "\(unit)受理案件 \(cases.count + 1)", unit: unit, handler: badge, openedAt: opened)
                let closed = opened + rng.uniform(15 * 86_400...90 * 86_400)
                if closed < nowT && rng.chance(0.7) {
                    legalCase.closedAt = closed
                    // Most files are archived within the 30 working days; a backlog of recent ones is not.
                    let archived = closed + (rng.chance(0.85) ? rng.uniform(5 * 86_400...40 * 86_400) : rng.uniform(40 * 86_400...80 * 86_400))
                    if archived < nowT && rng.chance(0.97) { legalCase.archivedAt = archived }
                }
                legalCase.privacy = rng.chance(0.01)
                cases.append(legalCase)
                open.append(cases.count - 1)
            }
            openByUnit[unit] = open
            let chosen = open[Int.random(in: 0..<open.count, using: &rng)]
            // A clip is filed before its case is archived (the catalog refuses it after).
            if let archived = cases[chosen].archivedAt, at >= archived { continue }
            clips[i].caseNumber = cases[chosen].number
        }
        let archivedAt = Dictionary(uniqueKeysWithValues: cases.map { ($0.number, $0.archivedAt) })
        for i in clips.indices {
            if clips[i].flags.contains("important"), nowT - clips[i].ingestedAt < 10 * 86_400, rng.chance(0.5) {
                clips[i].longTerm = true
            }
            let kind = RetentionPolicy.classify(longTerm: clips[i].longTerm, caseNumber: clips[i].caseNumber)
            let start = Date(timeIntervalSince1970: clips[i].corrected ?? clips[i].recordedAt ?? clips[i].ingestedAt)
            clips[i].retentionClass = kind.rawValue
            clips[i].retainUntil = policy.retention.retainUntil(class: kind, recordedAt: start,
                                                                caseArchivedAt: clips[i].caseNumber.flatMap { archivedAt[$0] ?? nil }.map(Date.init(timeIntervalSince1970:)),
                                                                calendar: gregorian)?.timeIntervalSince1970
        }
        return cases
    }
}
