import Foundation

/// What a compliance report needs of one clip.
public struct ReportClip: Sendable, Equatable {
    public var officerBadge: String?
    public var officerName: String?
    public var unit: String?
    public var deviceSerial: String?
    public var durationSeconds: Double
    public var lateSeconds: Double
    public var annotationDueAt: Date?
    public var annotatedAt: Date?
    /// Ledger findings (unregistered-device, no-handover, officer-mismatch, clock-drift, time-implausible).
    public var flags: [String]
    public init(officerBadge: String?, officerName: String?, unit: String?, deviceSerial: String?, durationSeconds: Double,
                lateSeconds: Double, annotationDueAt: Date?, annotatedAt: Date?, flags: [String]) {
        self.officerBadge = officerBadge; self.officerName = officerName; self.unit = unit; self.deviceSerial = deviceSerial
        self.durationSeconds = durationSeconds; self.lateSeconds = lateSeconds; self.annotationDueAt = annotationDueAt
        self.annotatedAt = annotatedAt; self.flags = flags
    }
}

/// Clips of a period that share officer, device and flags, already counted: what the catalog
/// hands the report at scale (a month of a busy station is a few thousand groups, not 100,000
/// clips). One clip is a group of one.
public struct ReportGroup: Sendable, Equatable {
    public var officerBadge: String?
    public var officerName: String?
    public var unit: String?
    public var deviceSerial: String?
    /// Ledger findings shared by the group's clips.
    public var flags: [String]
    public var clips: Int
    public var recordedSeconds: Double
    /// Clips uploaded late (late by more than 0 s), and the latest of them.
    public var late: Int
    public var worstLateSeconds: Double
    public var annotatedOnTime: Int
    public var annotationOverdue: Int

    public init(officerBadge: String?, officerName: String?, unit: String?, deviceSerial: String?, flags: [String], clips: Int,
                recordedSeconds: Double, late: Int, worstLateSeconds: Double, annotatedOnTime: Int, annotationOverdue: Int) {
        self.officerBadge = officerBadge; self.officerName = officerName; self.unit = unit; self.deviceSerial = deviceSerial
        self.flags = flags; self.clips = clips; self.recordedSeconds = recordedSeconds; self.late = late
        self.worstLateSeconds = worstLateSeconds; self.annotatedOnTime = annotatedOnTime; self.annotationOverdue = annotationOverdue
    }

    /// One clip as a group, judged at `now`. Only clips whose annotation window has closed count
    /// for the annotation rate: annotated by then (on time) or not (overdue); a clip still inside
    /// its window counts for neither, annotated or not.
    public init(_ clip: ReportClip, now: Date) {
        var onTime = 0, overdue = 0
        if let due = clip.annotationDueAt, due < now {
            if let at = clip.annotatedAt {
                if at <= due { onTime = 1 } else { overdue = 1 }
            } else if now > due {
                overdue = 1
            }
        }
        self.init(officerBadge: clip.officerBadge, officerName: clip.officerName, unit: clip.unit, deviceSerial: clip.deviceSerial,
                  flags: clip.flags, clips: 1, recordedSeconds: clip.durationSeconds, late: clip.lateSeconds > 0 ? 1 : 0,
                  worstLateSeconds: max(0, clip.lateSeconds), annotatedOnTime: onTime, annotationOverdue: overdue)
    }
}

/// One line of a compliance report: a unit, an officer, a device, or the total.
public struct ComplianceLine: Sendable, Equatable, Codable {
    public var key: String
    public var name: String
    public var clips = 0
    public var recordedSeconds = 0.0
    public var late = 0
    public var worstLateSeconds = 0.0
    /// Clips whose annotation window has closed and that were annotated within it.
    public var annotatedOnTime = 0
    /// Clips whose annotation window has closed: annotated after it, or still unannotated.
    public var annotationOverdue = 0
    /// Clips with at least one ledger finding.
    public var flagged = 0
    public var flagCounts: [String: Int] = [:]

    /// Clips without an upload verdict: their recording time is implausible (a 2010 reset, a
    /// future date) until a clerk corrects it (attribution issue, item 3). Not in `latePercent`.
    public var unjudged = 0

    /// Late clips among those with a verdict.
    public var latePercent: Double { clips - unjudged <= 0 ? 0 : Double(late) / Double(clips - unjudged) * 100 }
    /// Clips whose annotation was due by the time of the report: the rate's denominator.
    public var annotationDue: Int { annotatedOnTime + annotationOverdue }
    /// Share of the clips due that were annotated on time; 100 when none was due yet (printed "—").
    public var annotationPercent: Double {
        annotationDue == 0 ? 100 : Double(annotatedOnTime) / Double(annotationDue) * 100
    }

    public init(key: String, name: String) { self.key = key; self.name = name }

    mutating func add(_ group: ReportGroup) {
        clips += group.clips
        recordedSeconds += group.recordedSeconds
        if group.late > 0 { late += group.late; worstLateSeconds = max(worstLateSeconds, group.worstLateSeconds) }
        annotatedOnTime += group.annotatedOnTime
        annotationOverdue += group.annotationOverdue
        if group.flags.contains(ClipFlag.timeImplausible.rawValue) { unjudged += group.clips }
        if !group.flags.isEmpty { flagged += group.clips }
        for flag in group.flags { flagCounts[flag, default: 0] += group.clips }
    }
}

/// The compliance report for a period (deadlines issue, "Reports"): per unit, officer and device,
/// clips, recorded hours, late count and share, worst lateness, annotation compliance, findings.
/// Pure: the catalog supplies the clips of the period.
public struct ComplianceReport: Sendable, Equatable, Codable {
    public var from: Date
    public var to: Date
    public var generatedAt: Date
    public var total: ComplianceLine
    public var units: [ComplianceLine]
    public var officers: [ComplianceLine]
    public var devices: [ComplianceLine]

    public init(from: Date, to: Date, clips: [ReportClip], now: Date = Date()) {
        self.init(from: from, to: to, groups: clips.map { ReportGroup($0, now: now) }, now: now)
    }

    /// The report from clips counted in groups; `now` must be the time the groups were counted at.
    /// Units are listed in `unitOrder` (the agency's order, `[station] unit_order`), the others after
    /// them by name.
    public init(from: Date, to: Date, groups: [ReportGroup], now: Date, unitOrder: [String] = []) {
        self.from = from; self.to = to; self.generatedAt = now
        var total = ComplianceLine(key: "total", name: "")
        var units: [String: ComplianceLine] = [:], officers: [String: ComplianceLine] = [:], devices: [String: ComplianceLine] = [:]
        for group in groups {
            total.add(group)
            let unit = group.unit ?? ""
            units[unit, default: ComplianceLine(key: unit, name: unit)].add(group)
            let badge = group.officerBadge ?? ""
            officers[badge, default: ComplianceLine(key: badge, name: group.officerName ?? "")].add(group)
            let serial = group.deviceSerial ?? ""
            devices[serial, default: ComplianceLine(key: serial, name: serial)].add(group)
        }
        self.total = total
        let rank = Dictionary(unitOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.units = units.values.sorted { (rank[$0.key] ?? Int.max, $0.key) < (rank[$1.key] ?? Int.max, $1.key) }
        self.officers = officers.values.sorted { $0.key < $1.key }
        self.devices = devices.values.sorted { $0.key < $1.key }
    }
}
