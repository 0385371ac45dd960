import Foundation

/// One due-soon or overdue piece of work (`GET /v1/deadlines`).
public struct DeadlineEntry: Codable, Sendable, Equatable {
    /// device-out, device-not-dumped, annotation or case-archive.
    public var kind: String
    public var key: String
    /// due-soon, overdue or escalated.
    public var status: String
    public var officerBadge: String?
    public var officerName: String?
    public var deviceSerial: String?
    public var caseNumber: String?
    public var since: Date
    public var dueAt: Date
    public var lateSeconds: Double
    public var count: Int
    public var rule: String
    public init(kind: String, key: String, status: String, officerBadge: String?, officerName: String?, deviceSerial: String?,
                caseNumber: String?, since: Date, dueAt: Date, lateSeconds: Double, count: Int, rule: String) {
        self.kind = kind; self.key = key; self.status = status; self.officerBadge = officerBadge; self.officerName = officerName
        self.deviceSerial = deviceSerial; self.caseNumber = caseNumber; self.since = since; self.dueAt = dueAt
        self.lateSeconds = lateSeconds; self.count = count; self.rule = rule
    }
}

/// The store's room: free space, recent ingest rate, days until full, and the level it gives.
public struct CapacityItem: Codable, Sendable, Equatable {
    public var path: String
    public var totalBytes: UInt64
    public var freeBytes: UInt64
    public var reserveBytes: UInt64
    public var freePercent: Double
    /// New clip bytes per day over the last 7 days.
    public var bytesPerDay: Double
    /// nil when nothing was ingested lately.
    public var daysUntilFull: Double?
    /// ok, warning or critical.
    public var level: String
    public var paused: Bool
    public init(path: String, totalBytes: UInt64, freeBytes: UInt64, reserveBytes: UInt64, freePercent: Double,
                bytesPerDay: Double, daysUntilFull: Double?, level: String, paused: Bool) {
        self.path = path; self.totalBytes = totalBytes; self.freeBytes = freeBytes; self.reserveBytes = reserveBytes
        self.freePercent = freePercent; self.bytesPerDay = bytesPerDay; self.daysUntilFull = daysUntilFull
        self.level = level; self.paused = paused
    }
}

/// An alert: raised once per condition and level, with both languages and the structured fields.
public struct AlertItem: Codable, Sendable, Equatable {
    public var key: String
    /// overdue, escalated, warning or critical.
    public var level: String
    public var kind: String
    public var message: String
    public var messageZh: String
    public var at: Date
    public var officerBadge: String?
    public var officerName: String?
    public var deviceSerial: String?
    public var caseNumber: String?
    public var dueAt: Date?
    public var lateSeconds: Double?
    public init(key: String, level: String, kind: String, message: String, messageZh: String, at: Date) {
        self.key = key; self.level = level; self.kind = kind; self.message = message; self.messageZh = messageZh; self.at = at
    }
}

/// `GET /v1/deadlines`.
public struct DeadlinesResponse: Codable, Sendable, Equatable {
    public var at: Date
    public var items: [DeadlineEntry]
    public var capacity: CapacityItem
    public var openAlerts: [AlertItem]
    public var calendarYears: [Int]
    public var calendarProblem: String?
    public init(at: Date, items: [DeadlineEntry], capacity: CapacityItem, openAlerts: [AlertItem], calendarYears: [Int],
                calendarProblem: String?) {
        self.at = at; self.items = items; self.capacity = capacity; self.openAlerts = openAlerts
        self.calendarYears = calendarYears; self.calendarProblem = calendarProblem
    }
}

/// `POST /v1/clips/{sha}/annotate`.
public struct AnnotateRequest: Codable, Sendable, Equatable {
    /// The case the clip is filed under; nil keeps the clip's case (an annotation never changes it
    /// unless it names one).
    public var caseNumber: String?
    public var category: String
    public var place: String
    public var party: String
    public var description: String
    /// The case the clip leaves when `caseNumber` names another one: moving a clip out of a case
    /// (its holds and confidentiality) is said, never implied.
    public var leaveCase: String?
    public init(caseNumber: String?, category: String, place: String, party: String, description: String, leaveCase: String? = nil) {
        self.caseNumber = caseNumber; self.category = category; self.place = place; self.party = party; self.description = description
        self.leaveCase = leaveCase
    }
}

/// `POST /v1/clips/{sha}/leave-case`: take a clip out of its case, with the reason.
public struct LeaveCaseRequest: Codable, Sendable, Equatable {
    public var caseNumber: String
    public var reason: String
    public init(caseNumber: String, reason: String) { self.caseNumber = caseNumber; self.reason = reason }
}

public struct AnnotationItem: Codable, Sendable, Equatable {
    public var caseNumber: String?
    public var category: String
    public var place: String
    public var party: String
    public var description: String
    public var recordedBy: String
    public var recordedAt: Date
    public init(caseNumber: String?, category: String, place: String, party: String, description: String,
                recordedBy: String, recordedAt: Date) {
        self.caseNumber = caseNumber; self.category = category; self.place = place; self.party = party
        self.description = description; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

/// `POST /v1/deadlines/exceptions`: an approved extension to the hard maximum for one handover.
public struct ExceptionRequest: Codable, Sendable, Equatable {
    public var handoverID: Int64
    public var reason: String
    /// Who asked for the exception (a user name or uid, resolved by the daemon); the approver
    /// must be someone else.
    public var requestedBy: String?
    public init(handoverID: Int64, reason: String, requestedBy: String? = nil) {
        self.handoverID = handoverID; self.reason = reason; self.requestedBy = requestedBy
    }
}
