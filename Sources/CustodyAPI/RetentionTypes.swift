import Foundation

/// `POST /v1/clips/{sha}/retain`: keep a clip long-term on disc, for a reason from the rules.
public struct RetainRequest: Codable, Sendable, Equatable {
    /// coercive-measure, objection, obstruction, mass-incident, evidence, other-major.
    public var reason: String
    public var note: String
    public init(reason: String, note: String) { self.reason = reason; self.note = note }
}

/// `POST /v1/holds`: place or lift a legal hold on a clip or a case.
public struct HoldRequest: Codable, Sendable, Equatable {
    public var clip: String?
    public var caseNumber: String?
    public var reason: String
    public var remove: Bool
    public init(clip: String?, caseNumber: String?, reason: String, remove: Bool) {
        self.clip = clip; self.caseNumber = caseNumber; self.reason = reason; self.remove = remove
    }
}

/// A clip's retention: class, retain-until, holds, long-term reasons, disposal.
public struct RetentionItem: Codable, Sendable, Equatable {
    public var retentionClass: String
    public var retainUntil: Date?
    public var held: Bool
    public var holdReasons: [String]
    public var longTermReasons: [String]
    public var disposedAt: Date?
    public init(retentionClass: String, retainUntil: Date?, held: Bool, holdReasons: [String], longTermReasons: [String], disposedAt: Date?) {
        self.retentionClass = retentionClass; self.retainUntil = retainUntil; self.held = held; self.holdReasons = holdReasons
        self.longTermReasons = longTermReasons; self.disposedAt = disposedAt
    }
}

public struct DisposalItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var proposedBy: String
    public var proposedAt: Date
    public var clips: [String]
    public var bytes: Int64
    public var decision: String?
    public var decidedBy: String?
    public var decidedAt: Date?
    /// Once decided, what became of each listed clip and why (`disposal show`); absent from older daemons.
    public var outcomes: [DisposalOutcomeItem]?
    public init(id: Int64, proposedBy: String, proposedAt: Date, clips: [String], bytes: Int64, decision: String?,
                decidedBy: String?, decidedAt: Date?) {
        self.id = id; self.proposedBy = proposedBy; self.proposedAt = proposedAt; self.clips = clips; self.bytes = bytes
        self.decision = decision; self.decidedBy = decidedBy; self.decidedAt = decidedAt
    }
}

public struct TombstoneItem: Codable, Sendable, Equatable {
    public var sha256: String
    public var sizeBytes: Int64
    public var recordedAt: Date?
    public var ingestedAt: Date
    public var officerBadge: String?
    public var deviceSerial: String?
    public var proposalID: Int64
    public var proposedBy: String
    public var approvedBy: String
    public var disposedAt: Date
    public init(sha256: String, sizeBytes: Int64, recordedAt: Date?, ingestedAt: Date, officerBadge: String?, deviceSerial: String?,
                proposalID: Int64, proposedBy: String, approvedBy: String, disposedAt: Date) {
        self.sha256 = sha256; self.sizeBytes = sizeBytes; self.recordedAt = recordedAt; self.ingestedAt = ingestedAt
        self.officerBadge = officerBadge; self.deviceSerial = deviceSerial; self.proposalID = proposalID
        self.proposedBy = proposedBy; self.approvedBy = approvedBy; self.disposedAt = disposedAt
    }
}

/// `POST /v1/discs/plan`.
public struct DiscPlanRequest: Codable, Sendable, Equatable {
    /// cd, dvd, dvd-dl, bd25, bd50, bd100; the configured media when nil.
    public var media: String?
    /// Plan even sets under 98 % full (otherwise they wait for more clips).
    public var force: Bool
    public init(media: String?, force: Bool) { self.media = media; self.force = force }
}

/// `POST /v1/discs/{id}/burn|verify|label|locate`.
public struct DiscCopyRequest: Codable, Sendable, Equatable {
    /// A or B; both when nil (burn only).
    public var copy: String?
    /// Maker (制作人) for the labels; the configured maker when nil.
    public var maker: String?
    /// Storage place (locate).
    public var location: String?
    /// The clerk confirms the printed label is on the disc (label).
    public var confirm: Bool?
    /// Burn over a verified, labelled or located copy (admin, with `reason`); the old copy's
    /// record is kept as superseded. Absent: such a copy is never burned again.
    public var replace: Bool?
    /// Why a stored copy is replaced (required with `replace`).
    public var reason: String?
    public init(copy: String?, maker: String? = nil, location: String? = nil, confirm: Bool? = nil, replace: Bool? = nil, reason: String? = nil) {
        self.copy = copy; self.maker = maker; self.location = location; self.confirm = confirm; self.replace = replace; self.reason = reason
    }
}

public struct DiscQueueItem: Codable, Sendable, Equatable {
    public var sha256: String
    public var sizeBytes: Int64
    public var caseNumber: String?
    public var queuedAt: Date
    public init(sha256: String, sizeBytes: Int64, caseNumber: String?, queuedAt: Date) {
        self.sha256 = sha256; self.sizeBytes = sizeBytes; self.caseNumber = caseNumber; self.queuedAt = queuedAt
    }
}

/// A disc set with its clips and the state of both copies.
public struct DiscSetItem: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var sha256: String
        public var discPath: String
        public var sizeBytes: Int64
        public init(sha256: String, discPath: String, sizeBytes: Int64) { self.sha256 = sha256; self.discPath = discPath; self.sizeBytes = sizeBytes }
    }
    public struct Copy: Codable, Sendable, Equatable {
        public var copy: String
        /// none, burning, burned, verified, failed, label-confirmed, stored.
        public var state: String
        public var verified: Bool
        public var detail: String?
        public var location: String?
        /// Earlier copies this one replaced, oldest first (their records are kept); absent from older daemons.
        public var superseded: [SupersededCopyItem]?
        public init(copy: String, state: String, verified: Bool, detail: String?, location: String?) {
            self.copy = copy; self.state = state; self.verified = verified; self.detail = detail; self.location = location
        }
    }
    public var id: String
    public var media: String
    public var usedBytes: Int64
    public var fillRatio: Double
    public var note: String
    public var plannedAt: Date
    public var files: [File]
    public var copies: [Copy]
    /// Where each copy's image or label files were written, when known.
    public var paths: [String]
    public init(id: String, media: String, usedBytes: Int64, fillRatio: Double, note: String, plannedAt: Date, files: [File],
                copies: [Copy], paths: [String]) {
        self.id = id; self.media = media; self.usedBytes = usedBytes; self.fillRatio = fillRatio; self.note = note
        self.plannedAt = plannedAt; self.files = files; self.copies = copies; self.paths = paths
    }
}

/// `POST /v1/discs/plan` answer.
public struct DiscPlanResponse: Codable, Sendable, Equatable {
    public var sets: [DiscSetItem]
    /// Clips left in the queue (too few for a full disc, unless forced).
    public var waiting: Int
    public var refused: [String]
    public var notes: [String]
    public init(sets: [DiscSetItem], waiting: Int, refused: [String], notes: [String]) {
        self.sets = sets; self.waiting = waiting; self.refused = refused; self.notes = notes
    }
}

/// What a decided disposal did with one listed clip: removed its bytes (keeping its catalog row,
/// tombstone and audit rows) or kept it whole, and why.
public struct DisposalOutcomeItem: Codable, Sendable, Equatable {
    public var sha256: String
    public var disposed: Bool
    /// What is gone (`Vocabulary.disposalParts` codes): `store-file` for a disposed clip, nothing for a kept one.
    public var removed: [String]
    /// What stays: `catalog-row`, `tombstone`, `audit-rows` (and `store-file` for a kept clip).
    public var kept: [String]
    /// How many audit rows the clip's trail holds (all kept).
    public var auditRows: Int
    public var why: String
    public var whyZh: String
    public init(sha256: String, disposed: Bool, removed: [String], kept: [String], auditRows: Int, why: String, whyZh: String) {
        self.sha256 = sha256; self.disposed = disposed; self.removed = removed; self.kept = kept; self.auditRows = auditRows
        self.why = why; self.whyZh = whyZh
    }
}
