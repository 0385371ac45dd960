import Foundation

/// A camera's clock offset at one docking and what it rests on (attribution issue, item 1).
public struct DockingClockItem: Codable, Sendable, Equatable {
    /// The offset in force: camera clock minus station clock (positive: the camera runs fast).
    public var offsetSeconds: Double?
    /// newest-agreeing (the newest file times that agree), clock-file (the camera's own clock
    /// file), clerk (set by a clerk), cleared (cleared by a clerk) or none.
    public var basis: String
    /// The daemon's own estimate, kept when a clerk sets or clears the offset.
    public var estimateSeconds: Double?
    /// Files whose claimed time was rejected as a clock glitch (flagged time-implausible).
    public var outliers: Int
    public init(offsetSeconds: Double?, basis: String, estimateSeconds: Double?, outliers: Int) {
        self.offsetSeconds = offsetSeconds; self.basis = basis; self.estimateSeconds = estimateSeconds; self.outliers = outliers
    }
}

/// `POST /v1/dumps/{id}/clock-offset`: a clerk sets (`offsetSeconds`) or clears (`clear`) a
/// docking's clock offset; its clips are matched and judged again at once.
public struct ClockOffsetRequest: Codable, Sendable, Equatable {
    public var offsetSeconds: Double?
    public var clear: Bool?
    public var reason: String
    public init(offsetSeconds: Double?, clear: Bool?, reason: String) {
        self.offsetSeconds = offsetSeconds; self.clear = clear; self.reason = reason
    }
}

/// What a clerk's change to clips did: how many clips it touched and how many of them changed
/// officer, flags or verdict.
public struct ClipChangeReport: Codable, Sendable, Equatable {
    public var clips: Int
    public var rejudged: Int
    public var dump: DumpItem?
    public init(clips: Int, rejudged: Int, dump: DumpItem? = nil) { self.clips = clips; self.rejudged = rejudged; self.dump = dump }
}

/// A clip's time sources (attribution issue, item 2): the container's and the file name's times
/// as found, and why `recordedAt` is the one it is.
public struct ClipTimesItem: Codable, Sendable, Equatable {
    /// container, sources-agree, zone-shift, sources-disagree, file-name, file-time, none or clerk.
    public var reason: String
    public var container: Date?
    public var fileName: Date?
    public init(reason: String, container: Date?, fileName: Date?) {
        self.reason = reason; self.container = container; self.fileName = fileName
    }
}

/// What a clip's camera claimed and what a clerk set (attribution issue, items 4 and 5).
public struct ClipAttributionItem: Codable, Sendable, Equatable {
    /// The serial the clip's name, identity files or medium claim.
    public var claimedSerial: String?
    public var clerkSerial: String?
    public var clerkBadge: String?
    public var clerkRecordedAt: Date?
    public init(claimedSerial: String?, clerkSerial: String?, clerkBadge: String?, clerkRecordedAt: Date?) {
        self.claimedSerial = claimedSerial; self.clerkSerial = clerkSerial; self.clerkBadge = clerkBadge; self.clerkRecordedAt = clerkRecordedAt
    }
}

/// `POST /v1/clips/correct`: a clerk corrects one clip (`clip`) or every clip of a dump (`dump`).
/// Any subset of `device`, `officer`, `recordedAt` (station time or ISO 8601); "-" clears a
/// correction made before. A reason is required.
public struct ClipCorrectRequest: Codable, Sendable, Equatable {
    public var clip: String?
    public var dump: Int64?
    public var device: String?
    public var officer: String?
    public var recordedAt: String?
    public var reason: String
    public init(clip: String?, dump: Int64?, device: String?, officer: String?, recordedAt: String?, reason: String) {
        self.clip = clip; self.dump = dump; self.device = device; self.officer = officer; self.recordedAt = recordedAt; self.reason = reason
    }
}

/// `POST /v1/clips/reparse`: parse clips' source paths again with the configured grammars (or
/// one of them): the clips flagged unparsed-name, every clip (`all`) or those of one dump.
public struct ReparseRequest: Codable, Sendable, Equatable {
    public var dump: Int64?
    public var all: Bool?
    public var grammar: String?
    public var dryRun: Bool?
    public init(dump: Int64?, all: Bool?, grammar: String?, dryRun: Bool?) {
        self.dump = dump; self.all = all; self.grammar = grammar; self.dryRun = dryRun
    }
}

/// What a re-parse did (or would do, for a dry run).
public struct ReparseReport: Codable, Sendable, Equatable {
    public var grammars: [String]
    public var examined: Int
    public var changed: Int
    public var rejudged: Int
    public var unmatched: Int
    public var byGrammar: [String: Int]
    public var dryRun: Bool
    public init(grammars: [String], examined: Int, changed: Int, rejudged: Int, unmatched: Int, byGrammar: [String: Int], dryRun: Bool) {
        self.grammars = grammars; self.examined = examined; self.changed = changed; self.rejudged = rejudged
        self.unmatched = unmatched; self.byGrammar = byGrammar; self.dryRun = dryRun
    }
}

/// One correction or re-parse of a clip: the values before and after, why, by whom.
public struct ClipRevisionItem: Codable, Sendable, Equatable {
    public var kind: String
    public var before: [String: String]
    public var after: [String: String]
    public var reason: String
    public var recordedBy: String
    public var recordedAt: Date
    public init(kind: String, before: [String: String], after: [String: String], reason: String, recordedBy: String, recordedAt: Date) {
        self.kind = kind; self.before = before; self.after = after; self.reason = reason; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}
