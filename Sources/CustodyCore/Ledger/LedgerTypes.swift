import Foundation

/// What a CSV file holds. Agencies keep three separate sheets in their device
/// ledger (台账), so each import names the one it expects instead of guessing
/// from the headers (guessing would silently accept the wrong sheet).
public enum LedgerTable: String, Sendable, Codable, CaseIterable {
    case officers, devices, handovers
}

/// One officer as listed in the ledger. `badge` is the key: footage is matched
/// to people by badge (警号), never by name, because names repeat.
public struct OfficerRow: Sendable, Equatable, Codable {
    public var badge: String
    public var name: String
    public var unit: String
    /// Officers who left are kept (with `active == false`) so old footage still
    /// resolves to a person; only new check-outs are refused.
    public var active: Bool

    public init(badge: String, name: String, unit: String, active: Bool = true) {
        self.badge = badge
        self.name = name
        self.unit = unit
        self.active = active
    }
}

/// Where a camera is in its life. Raw values are the English export spelling.
public enum DeviceStatus: String, Sendable, Codable, CaseIterable {
    case inService = "in-service", repair, retired
}

/// One body camera. `serial` (产品序号) is the key the daemon sees in dumps.
public struct DeviceRow: Sendable, Equatable, Codable {
    public var serial: String
    public var brand: String
    public var model: String
    public var unit: String
    /// Badge of the officer a camera is permanently assigned to, if any; pooled
    /// cameras have none and are tracked through handovers instead.
    public var keeperBadge: String?
    public var status: DeviceStatus

    public init(serial: String, brand: String, model: String, unit: String,
                keeperBadge: String? = nil, status: DeviceStatus = .inService) {
        self.serial = serial
        self.brand = brand
        self.model = model
        self.unit = unit
        self.keeperBadge = keeperBadge
        self.status = status
    }
}

/// One check-out of a pooled camera (领用登记). It tells the daemon who wore
/// the camera when a clip was recorded.
public struct HandoverRow: Sendable, Equatable, Codable {
    public var serial: String
    public var badge: String
    public var checkedOutAt: Date
    /// `nil` while the camera is still out.
    public var checkedInAt: Date?
    /// Off-site or continuous duty: the camera may legitimately be away from
    /// its dock for longer than a shift, so the "overdue" alarm is relaxed.
    public var offsite: Bool
    public var note: String

    public init(serial: String, badge: String, checkedOutAt: Date, checkedInAt: Date? = nil,
                offsite: Bool = false, note: String = "") {
        self.serial = serial
        self.badge = badge
        self.checkedOutAt = checkedOutAt
        self.checkedInAt = checkedInAt
        self.offsite = offsite
        self.note = note
    }
}

/// One bad line: 1-based line number in the file (counting the header as
/// line 1; a quoted field spanning lines counts from where its record starts),
/// the column's header name as written in the file (or "" for a whole-line
/// problem), and why, in plain words a clerk can act on. Line 0 means the
/// file as a whole (it could not be decoded at all).
public struct CSVLineError: Sendable, Equatable, Codable, Error {
    public var line: Int
    public var column: String
    public var reason: String
    /// The same reason in Chinese, for the clerk (custodyctl under `LANG=zh_CN`).
    public var reasonZh: String

    public init(line: Int, column: String, reason: String, zh: String) {
        self.line = line
        self.column = column
        self.reason = reason
        self.reasonZh = zh
    }
}

/// The outcome of one import. Rows with any error are left out of the arrays,
/// and the caller refuses the whole import when `errors` is non-empty: a
/// half-applied ledger would be worse than a rejected one, because clerks
/// would not know which rows took effect.
public struct LedgerImport: Sendable, Equatable {
    public var officers: [OfficerRow]
    public var devices: [DeviceRow]
    public var handovers: [HandoverRow]
    public var errors: [CSVLineError]
    /// "utf-8", "utf-8-bom" or "gb18030"; "unknown" when the bytes could not be
    /// decoded (then `errors` holds a single line-0 error).
    public var encoding: String

    public init(officers: [OfficerRow] = [], devices: [DeviceRow] = [], handovers: [HandoverRow] = [],
                errors: [CSVLineError] = [], encoding: String) {
        self.officers = officers
        self.devices = devices
        self.handovers = handovers
        self.errors = errors
        self.encoding = encoding
    }
}
