import Foundation

/// An officer (执法人员) as the ledger knows them now: the latest revision of their record.
/// Records are never edited: a change is a new revision (RULES.md, "The device ledger").
public struct Officer: Sendable, Equatable, Codable {
    public var badge: String
    public var name: String
    public var unit: String
    public var active: Bool
    public var revision: Int64
    public var recordedBy: String
    public var recordedAt: Date
    public init(badge: String, name: String, unit: String, active: Bool, revision: Int64 = 0,
                recordedBy: String = "", recordedAt: Date = Date()) {
        self.badge = badge; self.name = name; self.unit = unit; self.active = active
        self.revision = revision; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

/// A body camera (执法记录仪) in the ledger. A placeholder is created when a camera nobody
/// registered is docked, so its clips are kept and the clerk sees it to register.
public struct Device: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable { case inService = "in-service", repair, retired }
    public var serial: String
    public var brand: String
    public var model: String
    public var unit: String
    public var keeperBadge: String?
    public var status: Status
    public var placeholder: Bool
    public var revision: Int64
    public var recordedBy: String
    public var recordedAt: Date
    public init(serial: String, brand: String, model: String, unit: String, keeperBadge: String?, status: Status,
                placeholder: Bool = false, revision: Int64 = 0, recordedBy: String = "", recordedAt: Date = Date()) {
        self.serial = serial; self.brand = brand; self.model = model; self.unit = unit; self.keeperBadge = keeperBadge
        self.status = status; self.placeholder = placeholder; self.revision = revision
        self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

/// A device passing to an officer (交接): checked out at a time, checked in at a later one.
/// Off-site or continuous duty changes when the upload deadline starts (at check-in).
public struct Handover: Sendable, Equatable, Codable {
    public var id: Int64
    public var serial: String
    public var badge: String
    public var checkedOutAt: Date
    public var checkedInAt: Date?
    public var offsite: Bool
    public var note: String
    public var recordedBy: String
    public var recordedAt: Date
    /// The number the handover was given at check-out, kept through check-in and corrections
    /// (each a new row superseding the last); nil when this row is the first.
    public var originID: Int64?
    /// The number clerks see and write down.
    public var number: Int64 { originID ?? id }
    public init(id: Int64, serial: String, badge: String, checkedOutAt: Date, checkedInAt: Date?, offsite: Bool,
                note: String, recordedBy: String = "", recordedAt: Date = Date()) {
        self.id = id; self.serial = serial; self.badge = badge; self.checkedOutAt = checkedOutAt
        self.checkedInAt = checkedInAt; self.offsite = offsite; self.note = note
        self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }

    /// Whether `time` falls inside the handover (an open handover runs until now).
    public func covers(_ time: Date) -> Bool {
        time >= checkedOutAt && time <= (checkedInAt ?? .distantFuture)
    }

    /// Whether two handovers of one device overlap in time.
    public func overlaps(_ other: Handover) -> Bool {
        checkedOutAt < (other.checkedInAt ?? .distantFuture) && other.checkedOutAt < (checkedInAt ?? .distantFuture)
    }
}

/// Why a recording stopped (中止记录), reviewed by the head of unit (RULES.md, "The device ledger").
public struct Interruption: Sendable, Equatable, Codable {
    public enum Reason: String, Sendable, Codable, CaseIterable {
        case deviceFault = "device-fault", battery, storageFull = "storage-full", weather, obstruction, other
    }
    public var id: Int64
    public var handoverID: Int64?
    public var clipSHA256: String?
    public var reason: Reason
    public var note: String
    public var reviewedBy: String
    public var recordedBy: String
    public var recordedAt: Date
    public init(id: Int64, handoverID: Int64?, clipSHA256: String?, reason: Reason, note: String, reviewedBy: String,
                recordedBy: String = "", recordedAt: Date = Date()) {
        self.id = id; self.handoverID = handoverID; self.clipSHA256 = clipSHA256; self.reason = reason
        self.note = note; self.reviewedBy = reviewedBy; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}
