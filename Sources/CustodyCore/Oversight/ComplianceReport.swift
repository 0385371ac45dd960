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

/// One line of a compliance report: a unit, an officer, a device, or the total.
public struct ComplianceLine: Sendable, Equatable, Codable {
    public var key: String
    public var name: String
    public var clips = 0
    public var recordedSeconds = 0.0
    public var late = 0
    public var worstLateSeconds = 0.0
    /// Annotated within the annotation window.
    public var annotatedOnTime = 0
    /// Annotated after the window, or still unannotated after it.
    public var annotationOverdue = 0
    /// Clips with at least one ledger finding.
    public var flagged = 0
    public var flagCounts: [String: Int] = [:]

    public var latePercent: Double { clips == 0 ? 0 : Double(late) / Double(clips) * 100 }
    public var annotationPercent: Double {
        let judged = annotatedOnTime + annotationOverdue
        return judged == 0 ? 100 : Double(annotatedOnTime) / Double(judged) * 100
    }

    public init(key: String, name: String) { self.key = key; self.name = name }

    mutating func add(_ clip: ReportClip, now: Date) {
        clips += 1
        recordedSeconds += clip.durationSeconds
        if clip.lateSeconds > 0 { late += 1; worstLateSeconds = max(worstLateSeconds, clip.lateSeconds) }
        if let due = clip.annotationDueAt {
            if let at = clip.annotatedAt {
                if at <= due { annotatedOnTime += 1 } else { annotationOverdue += 1 }
            } else if now > due {
                annotationOverdue += 1
            }
        }
        if !clip.flags.isEmpty { flagged += 1 }
        for flag in clip.flags { flagCounts[flag, default: 0] += 1 }
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
        self.from = from; self.to = to; self.generatedAt = now
        var total = ComplianceLine(key: "total", name: "")
        var units: [String: ComplianceLine] = [:], officers: [String: ComplianceLine] = [:], devices: [String: ComplianceLine] = [:]
        for clip in clips {
            total.add(clip, now: now)
            let unit = clip.unit ?? ""
            units[unit, default: ComplianceLine(key: unit, name: unit)].add(clip, now: now)
            let badge = clip.officerBadge ?? ""
            officers[badge, default: ComplianceLine(key: badge, name: clip.officerName ?? "")].add(clip, now: now)
            let serial = clip.deviceSerial ?? ""
            devices[serial, default: ComplianceLine(key: serial, name: serial)].add(clip, now: now)
        }
        self.total = total
        self.units = units.values.sorted { $0.key < $1.key }
        self.officers = officers.values.sorted { $0.key < $1.key }
        self.devices = devices.values.sorted { $0.key < $1.key }
    }
}
