import Foundation

/// `GET /v1/status`: what the daemon is doing. The interface contract (DESIGN.md) guarantees
/// `version`, `ingest.active` and `clips.total`.
public struct StatusResponse: Codable, Sendable, Equatable {
    public struct Ingest: Codable, Sendable, Equatable {
        public var active: Int
        public var paused: Bool
        public var pausedReason: String?
        public init(active: Int, paused: Bool, pausedReason: String?) {
            self.active = active; self.paused = paused; self.pausedReason = pausedReason
        }
    }
    public struct Clips: Codable, Sendable, Equatable {
        /// Clips whose bytes are kept (disposed clips left out).
        public var total: Int
        /// Clips disposed (rows and tombstones kept); absent from older daemons.
        public var disposed: Int?
        public init(total: Int, disposed: Int? = nil) { self.total = total; self.disposed = disposed }
    }
    public struct Store: Codable, Sendable, Equatable {
        public var path: String
        public var freeBytes: UInt64?
        public init(path: String, freeBytes: UInt64?) { self.path = path; self.freeBytes = freeBytes }
    }
    /// The station's time zone (`[station] time_zone`): the CLI prints every time in it.
    public var timeZone: String?
    public var version: String
    public var unit: String
    public var startedAt: Date
    public var ingest: Ingest
    public var clips: Clips
    public var store: Store
    public var alarms: [String]
    public var auditHead: String
    public var auditRows: Int64
    /// Free space, ingest rate and days until full.
    public var capacity: CapacityItem?
    /// Alerts whose condition still holds (overdue work, storage).
    public var openAlerts: [AlertItem]?
    /// The integrity alarm: the audit chain, the anchors and the bound rows (provable-catalog issue).
    public var integrity: IntegrityItem?
    /// Why the working-day calendar file was refused, if it was.
    public var calendarProblem: String?
    /// `[done, total]` clips of a running fsck.
    public var fsckProgress: [Int]?
    /// Background jobs running or waiting (fsck, audit verify), oldest first; absent from older daemons.
    public var jobs: [JobItem]?
    public init(version: String, unit: String, startedAt: Date, ingest: Ingest, clips: Clips, store: Store,
                alarms: [String], auditHead: String, auditRows: Int64) {
        self.version = version; self.unit = unit; self.startedAt = startedAt; self.ingest = ingest
        self.clips = clips; self.store = store; self.alarms = alarms; self.auditHead = auditHead; self.auditRows = auditRows
    }
}

/// One clip as listed by `GET /v1/clips`.
public struct ClipItem: Codable, Sendable, Equatable {
    public var sha256: String
    public var sizeBytes: UInt64
    public var sourcePath: String
    public var deviceSerial: String?
    /// The officer who had the device per the handover ledger (else the claimed badge).
    public var officerBadge: String?
    /// The badge the file name or sn.txt claims.
    public var claimedBadge: String?
    public var recordedAt: Date?
    /// Device clock minus station clock when docked (positive: the camera ran fast).
    public var clockOffsetSeconds: Double?
    /// The recording time corrected by the clock offset.
    public var correctedRecordedAt: Date?
    public var timeSource: String
    public var durationSeconds: Double?
    public var mediaKind: String
    public var format: String
    public var ingestedAt: Date
    public var dueAt: Date?
    public var late: Bool
    /// Seconds past the due time at ingest (0 when on time).
    public var lateSeconds: Double?
    /// The deadline rule applied: `recording-end+24h`, `checkin+24h`, `exception:recording-end+3wd` …
    public var deadlineRule: String?
    public var annotationDueAt: Date?
    public var annotatedAt: Date?
    public var caseNumber: String?
    public var flags: [String]
    /// Every source of the recording time and why one was used; absent from older daemons.
    public var times: ClipTimesItem?
    /// What the camera claimed beside a clerk's corrections in force; absent from older daemons.
    public var attribution: ClipAttributionItem?
    /// When the clip was disposed (已销毁); nil for a clip whose bytes are kept.
    public var disposedAt: Date?
    public init(sha256: String, sizeBytes: UInt64, sourcePath: String, deviceSerial: String?, officerBadge: String?,
                recordedAt: Date?, timeSource: String, durationSeconds: Double?, mediaKind: String, format: String,
                ingestedAt: Date, dueAt: Date?, late: Bool, flags: [String]) {
        self.sha256 = sha256; self.sizeBytes = sizeBytes; self.sourcePath = sourcePath; self.deviceSerial = deviceSerial
        self.officerBadge = officerBadge; self.claimedBadge = officerBadge; self.recordedAt = recordedAt; self.timeSource = timeSource
        self.durationSeconds = durationSeconds; self.mediaKind = mediaKind; self.format = format
        self.ingestedAt = ingestedAt; self.dueAt = dueAt; self.late = late; self.flags = flags
    }
}

/// Where a clip was found.
public struct ProvenanceItem: Codable, Sendable, Equatable {
    public var dumpID: Int64
    public var sourcePath: String
    /// The raw name bytes in hex when they are not valid UTF-8.
    public var sourcePathHex: String?
    public var sourceSize: UInt64
    public var copiedAt: Date
    public var mountPoint: String
    public init(dumpID: Int64, sourcePath: String, sourcePathHex: String?, sourceSize: UInt64, copiedAt: Date, mountPoint: String) {
        self.dumpID = dumpID; self.sourcePath = sourcePath; self.sourcePathHex = sourcePathHex
        self.sourceSize = sourceSize; self.copiedAt = copiedAt; self.mountPoint = mountPoint
    }
}

/// One audit row as shown to people and scripts.
public struct AuditItem: Codable, Sendable, Equatable {
    public var seq: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var object: String
    public var detail: String
    public var hash: String
    public init(seq: Int64, at: Date, actor: String, action: String, object: String, detail: String, hash: String) {
        self.seq = seq; self.at = at; self.actor = actor; self.action = action; self.object = object
        self.detail = detail; self.hash = hash
    }
}

/// `GET /v1/clips/{sha256}`: a clip with its provenance, its stored path and its audit history.
public struct ClipDetail: Codable, Sendable, Equatable {
    public var clip: ClipItem
    public var storePath: String
    public var provenance: [ProvenanceItem]
    public var audit: [AuditItem]
    /// Every annotation, oldest first; the last is current.
    public var annotations: [AnnotationItem] = []
    /// Retention class, retain-until, holds and long-term marks.
    public var retention: RetentionItem?
    /// A clerk's corrections and re-parses under new grammars, oldest first; absent from older daemons.
    public var revisions: [ClipRevisionItem]?
    /// What a disposed clip left behind (its storePath is then empty: the bytes are gone).
    public var tombstone: TombstoneItem?
    public init(clip: ClipItem, storePath: String, provenance: [ProvenanceItem], audit: [AuditItem]) {
        self.clip = clip; self.storePath = storePath; self.provenance = provenance; self.audit = audit
    }
}

/// A refused or failed file of a dump.
public struct DumpIssueItem: Codable, Sendable, Equatable {
    public var sourcePath: String?
    public var kind: String
    public var message: String
    public init(sourcePath: String?, kind: String, message: String) {
        self.sourcePath = sourcePath; self.kind = kind; self.message = message
    }
}

/// A side file kept with a dump (identity file, empty entry, camera bookkeeping): not a recording.
public struct DumpSideFileItem: Codable, Sendable, Equatable {
    public var sourcePath: String
    /// `identity`, `empty` or `bookkeeping`.
    public var kind: String
    public var sizeBytes: UInt64
    public var sha256: String
    public init(sourcePath: String, kind: String, sizeBytes: UInt64, sha256: String) {
        self.sourcePath = sourcePath; self.kind = kind; self.sizeBytes = sizeBytes; self.sha256 = sha256
    }
}

/// `GET /v1/dumps`: one docking and its progress.
public struct DumpItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var state: String
    public var stateReason: String?
    public var mountPoint: String
    public var source: String
    public var fsType: String
    public var deviceSerial: String?
    public var officerBadge: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var filesTotal: Int64
    public var filesDone: Int64
    public var bytesTotal: Int64
    public var bytesDone: Int64
    public var errors: Int64
    public var bytesPerSecond: Double?
    public var currentFile: String?
    public var clockOffsetSeconds: Double?
    public var issues: [DumpIssueItem]
    /// The side files kept with the dump (not clips); absent from older daemons.
    public var sideFiles: [DumpSideFileItem]?
    /// What the camera's clock offset at this docking rests on; absent from older daemons.
    public var clock: DockingClockItem?
    public init(id: Int64, state: String, stateReason: String?, mountPoint: String, source: String, fsType: String,
                deviceSerial: String?, officerBadge: String?, startedAt: Date, finishedAt: Date?, filesTotal: Int64,
                filesDone: Int64, bytesTotal: Int64, bytesDone: Int64, errors: Int64, bytesPerSecond: Double?,
                currentFile: String?, clockOffsetSeconds: Double?, issues: [DumpIssueItem]) {
        self.id = id; self.state = state; self.stateReason = stateReason; self.mountPoint = mountPoint
        self.source = source; self.fsType = fsType; self.deviceSerial = deviceSerial; self.officerBadge = officerBadge
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.filesTotal = filesTotal; self.filesDone = filesDone
        self.bytesTotal = bytesTotal; self.bytesDone = bytesDone; self.errors = errors
        self.bytesPerSecond = bytesPerSecond; self.currentFile = currentFile
        self.clockOffsetSeconds = clockOffsetSeconds; self.issues = issues
    }
}

/// Every non-2xx answer: a machine code and a message a person can act on.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public var error: String
    public var message: String
    public init(error: String, message: String) { self.error = error; self.message = message }
}

/// The one JSON dialect of the API: ISO 8601 dates, sorted keys (stable output on Linux).
public enum APICoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// One line of `GET /v1/events` (newline-delimited JSON): progress of a dump, a dump starting or
/// ending, or an alarm.
public struct EventItem: Codable, Sendable, Equatable {
    public struct Progress: Codable, Sendable, Equatable {
        public var dumpID: Int64
        public var mountPoint: String
        public var state: String
        public var filesDone: Int64
        public var filesTotal: Int64
        public var bytesDone: Int64
        public var bytesTotal: Int64
        public var errors: Int64
        public var bytesPerSecond: Double
        public var currentFile: String?
        public init(dumpID: Int64, mountPoint: String, state: String, filesDone: Int64, filesTotal: Int64, bytesDone: Int64,
                    bytesTotal: Int64, errors: Int64, bytesPerSecond: Double, currentFile: String?) {
            self.dumpID = dumpID; self.mountPoint = mountPoint; self.state = state; self.filesDone = filesDone
            self.filesTotal = filesTotal; self.bytesDone = bytesDone; self.bytesTotal = bytesTotal; self.errors = errors
            self.bytesPerSecond = bytesPerSecond; self.currentFile = currentFile
        }
    }
    /// progress, dump or alarm.
    public var type: String
    public var at: Date
    public var dump: Progress?
    public var message: String?
    /// For `alert` events: what is overdue or short, structured.
    public var alert: AlertItem?
    /// For `job` events: a background job that started, progressed or ended.
    public var job: JobItem?
    public init(type: String, at: Date, dump: Progress?, message: String?) {
        self.type = type; self.at = at; self.dump = dump; self.message = message
    }
}

/// `GET /v1/fsck`: the store re-hashed and compared with the catalog and the audit chain.
public struct FsckReport: Codable, Sendable, Equatable {
    public var consistent: Bool
    public var clipsChecked: Int
    public var bytesChecked: UInt64
    public var missing: [String]
    public var changed: [String]
    public var uncataloged: [String]
    public var tempFiles: [String]
    public var auditValid: Bool
    public var auditRows: Int64
    public var auditFirstBadSeq: Int64?
    public var auditProblem: String?
    public var ingestActive: Int
    /// Bound rows compared with the audit chain (the same check as `audit verify`), and those
    /// that disagree with it (all counted, the first 20 named).
    public var boundRowsChecked: Int?
    public var auditMismatchCount: Int?
    public var auditMismatches: [String]?
    public init(consistent: Bool, clipsChecked: Int, bytesChecked: UInt64, missing: [String], changed: [String], uncataloged: [String],
                tempFiles: [String], auditValid: Bool, auditRows: Int64, auditFirstBadSeq: Int64?, auditProblem: String?, ingestActive: Int) {
        self.consistent = consistent; self.clipsChecked = clipsChecked; self.bytesChecked = bytesChecked; self.missing = missing
        self.changed = changed; self.uncataloged = uncataloged; self.tempFiles = tempFiles; self.auditValid = auditValid
        self.auditRows = auditRows; self.auditFirstBadSeq = auditFirstBadSeq; self.auditProblem = auditProblem
        self.ingestActive = ingestActive
    }
}
