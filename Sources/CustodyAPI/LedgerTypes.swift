import Foundation

/// An officer as the API shows them.
public struct OfficerItem: Codable, Sendable, Equatable {
    public var badge: String
    public var name: String
    public var unit: String
    public var active: Bool
    public var revision: Int64
    public var recordedBy: String
    public var recordedAt: Date
    public init(badge: String, name: String, unit: String, active: Bool, revision: Int64, recordedBy: String, recordedAt: Date) {
        self.badge = badge; self.name = name; self.unit = unit; self.active = active; self.revision = revision
        self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

/// A device as the API shows it.
public struct DeviceItem: Codable, Sendable, Equatable {
    public var serial: String
    public var brand: String
    public var model: String
    public var unit: String
    public var keeperBadge: String?
    public var status: String
    public var placeholder: Bool
    public var revision: Int64
    public var recordedBy: String
    public var recordedAt: Date
    public init(serial: String, brand: String, model: String, unit: String, keeperBadge: String?, status: String,
                placeholder: Bool, revision: Int64, recordedBy: String, recordedAt: Date) {
        self.serial = serial; self.brand = brand; self.model = model; self.unit = unit; self.keeperBadge = keeperBadge
        self.status = status; self.placeholder = placeholder; self.revision = revision; self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

public struct HandoverItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var serial: String
    public var badge: String
    public var checkedOutAt: Date
    public var checkedInAt: Date?
    public var offsite: Bool
    public var note: String
    public var recordedBy: String
    public init(id: Int64, serial: String, badge: String, checkedOutAt: Date, checkedInAt: Date?, offsite: Bool, note: String, recordedBy: String) {
        self.id = id; self.serial = serial; self.badge = badge; self.checkedOutAt = checkedOutAt
        self.checkedInAt = checkedInAt; self.offsite = offsite; self.note = note; self.recordedBy = recordedBy
    }
}

public struct InterruptionItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var handoverID: Int64?
    public var clipSHA256: String?
    public var reason: String
    public var note: String
    public var reviewedBy: String
    public var recordedBy: String
    public var recordedAt: Date
    public init(id: Int64, handoverID: Int64?, clipSHA256: String?, reason: String, note: String, reviewedBy: String,
                recordedBy: String, recordedAt: Date) {
        self.id = id; self.handoverID = handoverID; self.clipSHA256 = clipSHA256; self.reason = reason; self.note = note
        self.reviewedBy = reviewedBy; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

/// A device's page: its record, its handovers and its docking history (clock offsets).
public struct DeviceDetail: Codable, Sendable, Equatable {
    public struct Docking: Codable, Sendable, Equatable {
        public var dumpID: Int64
        public var dockedAt: Date
        public var clockOffsetSeconds: Double?
        public init(dumpID: Int64, dockedAt: Date, clockOffsetSeconds: Double?) {
            self.dumpID = dumpID; self.dockedAt = dockedAt; self.clockOffsetSeconds = clockOffsetSeconds
        }
    }
    public var device: DeviceItem
    public var history: [DeviceItem]
    public var handovers: [HandoverItem]
    public var dockings: [Docking]
    public init(device: DeviceItem, history: [DeviceItem], handovers: [HandoverItem], dockings: [Docking]) {
        self.device = device; self.history = history; self.handovers = handovers; self.dockings = dockings
    }
}

public struct OfficerDetail: Codable, Sendable, Equatable {
    public var officer: OfficerItem
    public var history: [OfficerItem]
    public var handovers: [HandoverItem]
    public init(officer: OfficerItem, history: [OfficerItem], handovers: [HandoverItem]) {
        self.officer = officer; self.history = history; self.handovers = handovers
    }
}

// MARK: requests

public struct OfficerRequest: Codable, Sendable, Equatable {
    public var badge: String
    public var name: String
    public var unit: String
    public init(badge: String, name: String, unit: String) { self.badge = badge; self.name = name; self.unit = unit }
}

/// Fields left nil keep their current value when the device is already registered.
public struct DeviceRequest: Codable, Sendable, Equatable {
    public var serial: String
    public var brand: String?
    public var model: String?
    public var unit: String?
    public var keeperBadge: String?
    public init(serial: String, brand: String?, model: String?, unit: String?, keeperBadge: String?) {
        self.serial = serial; self.brand = brand; self.model = model; self.unit = unit; self.keeperBadge = keeperBadge
    }
}

/// `at` is wall-clock station time ("2026-11-27 08:30[:00]") or ISO 8601; absent means now.
public struct CheckoutRequest: Codable, Sendable, Equatable {
    public var badge: String
    public var at: String?
    public var offsite: Bool
    public var note: String
    public init(badge: String, at: String?, offsite: Bool, note: String) {
        self.badge = badge; self.at = at; self.offsite = offsite; self.note = note
    }
}

public struct CheckinRequest: Codable, Sendable, Equatable {
    public var at: String?
    public init(at: String?) { self.at = at }
}

public struct InterruptionRequest: Codable, Sendable, Equatable {
    public var handoverID: Int64?
    public var clip: String?
    public var reason: String
    public var note: String
    public var reviewedBy: String
    public init(handoverID: Int64?, clip: String?, reason: String, note: String, reviewedBy: String) {
        self.handoverID = handoverID; self.clip = clip; self.reason = reason; self.note = note; self.reviewedBy = reviewedBy
    }
}

/// The outcome of a CSV import: all-or-nothing, every bad line listed.
public struct ImportReport: Codable, Sendable, Equatable {
    public struct LineError: Codable, Sendable, Equatable {
        public var line: Int
        public var column: String
        public var reason: String
        public init(line: Int, column: String, reason: String) { self.line = line; self.column = column; self.reason = reason }
    }
    public var table: String
    public var encoding: String
    public var dryRun: Bool
    /// True only when every line was good and (unless a dry run) the change was committed.
    public var accepted: Bool
    public var added: Int
    public var changed: Int
    public var unchanged: Int
    public var errors: [LineError]
    public init(table: String, encoding: String, dryRun: Bool, accepted: Bool, added: Int, changed: Int, unchanged: Int, errors: [LineError]) {
        self.table = table; self.encoding = encoding; self.dryRun = dryRun; self.accepted = accepted
        self.added = added; self.changed = changed; self.unchanged = unchanged; self.errors = errors
    }
}

/// The printed ledger (台账): handovers in a period with what was recorded in each.
public struct LedgerReport: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var handover: HandoverItem
        public var officerName: String
        public var device: String
        public var clips: Int
        public var recordedSeconds: Double
        public var flags: [String: Int]
        public init(handover: HandoverItem, officerName: String, device: String, clips: Int, recordedSeconds: Double, flags: [String: Int]) {
            self.handover = handover; self.officerName = officerName; self.device = device; self.clips = clips
            self.recordedSeconds = recordedSeconds; self.flags = flags
        }
    }
    public var unit: String
    public var device: String?
    public var officer: String?
    /// The newest signed tree head when the report was made, and the integrity alarm if one stands.
    public var treeHead: String?
    public var integrityAlarm: String?
    public var from: Date
    public var to: Date
    public var generatedAt: Date
    public var auditHead: String
    public var rows: [Row]
    public init(unit: String, device: String?, officer: String?, from: Date, to: Date, generatedAt: Date, auditHead: String, rows: [Row]) {
        self.unit = unit; self.device = device; self.officer = officer; self.from = from; self.to = to
        self.generatedAt = generatedAt; self.auditHead = auditHead; self.rows = rows
    }
}
