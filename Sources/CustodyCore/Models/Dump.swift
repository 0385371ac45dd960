import Foundation

/// One docking of a camera's storage (or one drop folder): the unit of ingest progress.
public struct Dump: Sendable, Equatable, Codable {
    /// Lifecycle of a dump: refused media never get past `refused`.
    public enum State: String, Sendable, Codable {
        case scanning, copying, paused, complete, interrupted, refused
        /// Every file verified and cataloged; the camera's recordings are being cleared (its
        /// device profile asks for it), waiting for the mount helper to make it writable.
        case releasing
    }
    public var id: Int64
    public var sourceKind: String
    public var mountPoint: String
    public var mountSource: String
    public var fsType: String
    /// Identity of the mount (kernel mount id, point, source, type), used to resume after a restart.
    public var mountKey: String
    public var mountID: Int?
    public var deviceSerial: String?
    public var officerBadge: String?
    public var state: State
    public var stateReason: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var filesTotal: Int64
    public var bytesTotal: Int64
    public var filesDone: Int64
    public var bytesDone: Int64
    public var errors: Int64
    /// Device clock minus station clock, from the newest file (positive: camera runs fast).
    public var clockOffsetSeconds: Double?
    /// What the offset rests on (`ClockEstimate.Basis`), the daemon's estimate when a clerk
    /// overrode it, and how many files were rejected as clock glitches.
    public var clockBasis: ClockEstimate.Basis?
    public var clockOffsetEstimate: Double?
    public var clockOutliers = 0

    public init(id: Int64, sourceKind: String, mountPoint: String, mountSource: String, fsType: String,
                mountKey: String, mountID: Int? = nil, deviceSerial: String? = nil, officerBadge: String? = nil, state: State,
                stateReason: String? = nil, startedAt: Date, finishedAt: Date? = nil, filesTotal: Int64 = 0,
                bytesTotal: Int64 = 0, filesDone: Int64 = 0, bytesDone: Int64 = 0, errors: Int64 = 0,
                clockOffsetSeconds: Double? = nil) {
        self.id = id; self.sourceKind = sourceKind; self.mountPoint = mountPoint; self.mountSource = mountSource
        self.fsType = fsType; self.mountKey = mountKey; self.mountID = mountID; self.deviceSerial = deviceSerial
        self.officerBadge = officerBadge; self.state = state; self.stateReason = stateReason
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.filesTotal = filesTotal
        self.bytesTotal = bytesTotal; self.filesDone = filesDone; self.bytesDone = bytesDone
        self.errors = errors; self.clockOffsetSeconds = clockOffsetSeconds
    }
}

/// A file that was copied, verified and stored, ready to be cataloged in one transaction.
public struct IngestedFile: Sendable, Equatable {
    public var dumpID: Int64
    public var sourcePath: RawPath
    public var sourceSize: UInt64
    public var sourceMtime: Date?
    public var clip: Clip
    public var grammar: String?
    /// How the stored copy's read-back was checked; nil when nothing was copied (bytes the store
    /// held already, hashed where they lie). The clip's audit row names an XXH3-128 check.
    public var readBack: ReadBackCheck?
    public init(dumpID: Int64, sourcePath: RawPath, sourceSize: UInt64, sourceMtime: Date?, clip: Clip, grammar: String?,
                readBack: ReadBackCheck? = nil) {
        self.dumpID = dumpID; self.sourcePath = sourcePath; self.sourceSize = sourceSize
        self.sourceMtime = sourceMtime; self.clip = clip; self.grammar = grammar; self.readBack = readBack
    }
}

/// Where a clip's bytes were found: one row per (dump, source path).
public struct Provenance: Sendable, Equatable, Codable {
    public var dumpID: Int64
    public var sourcePath: String
    public var sourcePathHex: String?
    public var sourceSize: UInt64
    public var copiedAt: Date
    public var mountPoint: String
    public init(dumpID: Int64, sourcePath: String, sourcePathHex: String?, sourceSize: UInt64, copiedAt: Date, mountPoint: String) {
        self.dumpID = dumpID; self.sourcePath = sourcePath; self.sourcePathHex = sourcePathHex
        self.sourceSize = sourceSize; self.copiedAt = copiedAt; self.mountPoint = mountPoint
    }
}

/// A file on the medium that was refused or failed, with the reason a person can act on.
public struct DumpIssue: Sendable, Equatable, Codable {
    public var dumpID: Int64
    public var sourcePath: String?
    public var kind: String
    public var message: String
    public var at: Date
    public init(dumpID: Int64, sourcePath: String?, kind: String, message: String, at: Date) {
        self.dumpID = dumpID; self.sourcePath = sourcePath; self.kind = kind; self.message = message; self.at = at
    }
}
