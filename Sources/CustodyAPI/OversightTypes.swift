import Foundation

/// One line of `GET /v1/reports/compliance`.
public struct ComplianceLineItem: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var clips: Int
    public var recordedHours: Double
    public var late: Int
    public var latePercent: Double
    public var worstLateSeconds: Double
    public var annotatedOnTime: Int
    public var annotationOverdue: Int
    public var annotationPercent: Double
    public var flagged: Int
    public var flagCounts: [String: Int]
    public init(key: String, name: String, clips: Int, recordedHours: Double, late: Int, latePercent: Double,
                worstLateSeconds: Double, annotatedOnTime: Int, annotationOverdue: Int, annotationPercent: Double,
                flagged: Int, flagCounts: [String: Int]) {
        self.key = key; self.name = name; self.clips = clips; self.recordedHours = recordedHours; self.late = late
        self.latePercent = latePercent; self.worstLateSeconds = worstLateSeconds; self.annotatedOnTime = annotatedOnTime
        self.annotationOverdue = annotationOverdue; self.annotationPercent = annotationPercent; self.flagged = flagged
        self.flagCounts = flagCounts
    }
}

/// `GET /v1/reports/compliance?period=2026-11|date=2026-11-29|from=…&to=…`.
public struct ComplianceReportItem: Codable, Sendable, Equatable {
    public var unit: String
    public var from: Date
    public var to: Date
    public var generatedAt: Date
    public var total: ComplianceLineItem
    public var units: [ComplianceLineItem]
    public var officers: [ComplianceLineItem]
    public var devices: [ComplianceLineItem]
    public var auditHead: String
    public var auditRows: Int64
    /// The tree head signed for this report (`Custody-Tree-Head v1 …`); `audit verify --against` reads it back.
    public var treeHead: String?
    /// The integrity alarm standing when the report was made, if any.
    public var integrityAlarm: String?
    public init(unit: String, from: Date, to: Date, generatedAt: Date, total: ComplianceLineItem, units: [ComplianceLineItem],
                officers: [ComplianceLineItem], devices: [ComplianceLineItem], auditHead: String, auditRows: Int64) {
        self.unit = unit; self.from = from; self.to = to; self.generatedAt = generatedAt; self.total = total; self.units = units
        self.officers = officers; self.devices = devices; self.auditHead = auditHead; self.auditRows = auditRows
    }
}

/// `POST /v1/reviews`: draw a spot-check sample.
public struct ReviewRequest: Codable, Sendable, Equatable {
    public var period: String
    /// clips or officers.
    public var subject: String
    public var ratio: Double
    /// Given to repeat a draw; a random one is chosen (and recorded) otherwise.
    public var seed: UInt64?
    public init(period: String, subject: String, ratio: Double, seed: UInt64?) {
        self.period = period; self.subject = subject; self.ratio = ratio; self.seed = seed
    }
}

/// `POST /v1/reviews/{id}/findings`.
public struct ReviewFindingRequest: Codable, Sendable, Equatable {
    public var item: Int
    /// pass or problem.
    public var outcome: String
    public var note: String
    public init(item: Int, outcome: String, note: String) { self.item = item; self.outcome = outcome; self.note = note }
}

/// A sample, its items and their findings, and the outcome so far.
public struct ReviewItem: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var ordinal: Int
        public var subjectKey: String
        public var outcome: String?
        public var note: String?
        public var reviewer: String?
        public var reviewedAt: Date?
        public init(ordinal: Int, subjectKey: String, outcome: String?, note: String?, reviewer: String?, reviewedAt: Date?) {
            self.ordinal = ordinal; self.subjectKey = subjectKey; self.outcome = outcome; self.note = note
            self.reviewer = reviewer; self.reviewedAt = reviewedAt
        }
    }
    public var id: Int64
    public var period: String
    public var subject: String
    public var ratio: Double
    public var seed: UInt64
    public var population: Int
    public var drawnBy: String
    public var drawnAt: Date
    public var items: [Entry]
    public var reviewed: Int
    public var passed: Int
    public var problems: Int
    public init(id: Int64, period: String, subject: String, ratio: Double, seed: UInt64, population: Int, drawnBy: String,
                drawnAt: Date, items: [Entry], reviewed: Int, passed: Int, problems: Int) {
        self.id = id; self.period = period; self.subject = subject; self.ratio = ratio; self.seed = seed
        self.population = population; self.drawnBy = drawnBy; self.drawnAt = drawnAt; self.items = items
        self.reviewed = reviewed; self.passed = passed; self.problems = problems
    }
}
