import Foundation

/// One piece of work that is due soon or overdue (deadlines issue, "Live watch"): a device out or
/// back without a dump, clips not annotated, a closed case not archived.
public struct DeadlineItem: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Checked out longer than the upload window with nothing dumped.
        case deviceOut = "device-out"
        /// Checked in, not dumped within the upload window.
        case deviceNotDumped = "device-not-dumped"
        /// Clips not annotated within the annotation window (one item per officer).
        case annotation
        /// A closed case not archived within the archive window.
        case caseArchive = "case-archive"
    }

    public enum Status: String, Sendable, Codable, Comparable {
        case dueSoon = "due-soon"
        case overdue
        /// Late by a whole window again: the alert is raised a second time.
        case escalated

        var rank: Int { self == .dueSoon ? 0 : self == .overdue ? 1 : 2 }
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    public var kind: Kind
    /// Stable identity for de-duplicating alerts: `device-not-dumped:handover:12`.
    public var key: String
    public var status: Status
    public var officerBadge: String?
    public var officerName: String?
    public var deviceSerial: String?
    public var caseNumber: String?
    /// When the clock started (checkout, check-in, upload, case closed).
    public var since: Date
    public var dueAt: Date
    /// Seconds past due; 0 while due soon.
    public var lateSeconds: Double
    /// Clips concerned (annotation items), else 1.
    public var count: Int
    public var rule: String

    public init(kind: Kind, key: String, status: Status, officerBadge: String? = nil, officerName: String? = nil,
                deviceSerial: String? = nil, caseNumber: String? = nil, since: Date, dueAt: Date, lateSeconds: Double,
                count: Int = 1, rule: String) {
        self.kind = kind; self.key = key; self.status = status; self.officerBadge = officerBadge
        self.officerName = officerName; self.deviceSerial = deviceSerial; self.caseNumber = caseNumber
        self.since = since; self.dueAt = dueAt; self.lateSeconds = lateSeconds; self.count = count; self.rule = rule
    }
}

/// Turns due times into items: nothing when comfortably ahead, due soon inside the warning
/// margin, overdue after, escalated once late by a whole window again. Pure.
public enum DeadlineStatusRule {
    public static func status(dueAt: Date, since: Date, now: Date, policy: DeadlinePolicy) -> DeadlineItem.Status? {
        if now < dueAt {
            return dueAt.timeIntervalSince(now) <= policy.dueSoonHours * 3600 ? .dueSoon : nil
        }
        let window = max(dueAt.timeIntervalSince(since), 3600)
        return now.timeIntervalSince(dueAt) >= window ? .escalated : .overdue
    }

    /// The item for a handover whose device has not been dumped since it was checked out, or nil.
    /// A regular handover's clips can date from checkout, so its window runs from checkout;
    /// an off-site one's from check-in (and it is not watched while still out).
    public static func handoverItem(_ handover: Handover, officerName: String?, now: Date,
                                    policy: DeadlinePolicy, calendar: WorkingCalendar) -> DeadlineItem? {
        let offsite = policy.offsiteFromCheckin && handover.offsite
        let start: Date
        let kind: DeadlineItem.Kind
        if let checkedIn = handover.checkedInAt {
            start = offsite ? checkedIn : handover.checkedOutAt
            kind = .deviceNotDumped
        } else {
            guard !offsite else { return nil }
            start = handover.checkedOutAt
            kind = .deviceOut
        }
        let due = policy.upload.due(from: start, calendar: calendar)
        guard let status = status(dueAt: due, since: start, now: now, policy: policy) else { return nil }
        return DeadlineItem(kind: kind, key: "\(kind.rawValue):handover:\(handover.id)", status: status,
                            officerBadge: handover.badge, officerName: officerName, deviceSerial: handover.serial,
                            since: handover.checkedInAt ?? handover.checkedOutAt, dueAt: due,
                            lateSeconds: max(0, now.timeIntervalSince(due)),
                            rule: "\(offsite ? "checkin" : "checkout")+\(policy.upload)")
    }
}
