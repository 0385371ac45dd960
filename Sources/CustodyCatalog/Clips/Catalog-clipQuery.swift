import CustodyCore
import Foundation
import GRDB

/// Which clips `clips list` shows, in ingest order (performance issue, "clips list filters").
/// Every criterion given must hold; a nil criterion does not filter.
///
/// The recording time filtered on is the effective one the reports count by: the time corrected
/// for a camera clock that ran fast, else the camera's time, else the ingest time. So the clips
/// listed for a month are exactly the clips a month's compliance report counts.
public struct ClipFilter: Sendable, Equatable {
    public var officerBadge: String?
    public var deviceSerial: String?
    /// Effective recording time at or after this.
    public var recordedFrom: Date?
    /// Effective recording time before this.
    public var recordedBefore: Date?
    public var caseNumber: String?
    /// Only clips ingested after their upload deadline.
    public var lateOnly = false
    /// Only clips carrying this flag (`ClipFlag` raw value, e.g. `no-handover`).
    public var flag: String?
    /// Confidentiality flags the caller is not cleared for: clips carrying any of them, their own
    /// or their case's, are left out (access issue, "Confidentiality flags").
    public var hidden: Set<Confidentiality> = []
    /// Keyset paging: only clips after this one (full SHA-256) in ingest order. Stays right while
    /// clips are being ingested, and costs the same on page 1 and page 10,000.
    public var afterSHA256: String?
    /// Whether disposed clips (bytes gone, row and tombstone kept) are listed. The clerk's list
    /// leaves them out unless asked (`clips list --disposed`); the catalog's own walks keep them.
    public var withDisposed = true
    public var limit: Int?
    public var offset = 0

    public init(officerBadge: String? = nil, deviceSerial: String? = nil, recordedFrom: Date? = nil, recordedBefore: Date? = nil,
                caseNumber: String? = nil, lateOnly: Bool = false, flag: String? = nil, hidden: Set<Confidentiality> = [],
                afterSHA256: String? = nil, limit: Int? = nil, offset: Int = 0) {
        self.officerBadge = officerBadge; self.deviceSerial = deviceSerial; self.recordedFrom = recordedFrom
        self.recordedBefore = recordedBefore; self.caseNumber = caseNumber; self.lateOnly = lateOnly; self.flag = flag
        self.hidden = hidden; self.afterSHA256 = afterSHA256; self.limit = limit; self.offset = offset
    }
}

extension Catalog {
    /// The effective recording time of clip `c`, exactly as the `clip_recorded` indexes spell it.
    static let effectiveRecordedAt = "coalesce(c.corrected_recorded_at, c.recorded_at, c.ingested_at)"

    /// Clips matching `filter` in ingest order; one SQL query, the confidentiality rule included.
    public func clips(_ filter: ClipFilter) throws -> [Clip] {
        let (sql, arguments) = Self.query(filter)
        return try pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.clip(from:)) }
    }

    /// The SQL for `filter` (also what `EXPLAIN QUERY PLAN` checks in the tests).
    static func query(_ filter: ClipFilter) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        var source = "clip c"
        var order = "c.ingested_at, c.sha256"
        if let flag = filter.flag {
            if filter.officerBadge == nil && filter.deviceSerial == nil && filter.caseNumber == nil {
                // The flag is the narrowest filter: its rows, kept in ingest order, drive the query.
                source = "clip_flag f JOIN clip c ON c.sha256 = f.clip_sha256"
                order = "f.ingested_at, f.clip_sha256"
                clauses.append("f.flag = ?")
            } else {
                // An officer's, a camera's or a case's clips are fewer: each is checked for the flag.
                clauses.append("EXISTS (SELECT 1 FROM clip_flag f WHERE f.clip_sha256 = c.sha256 AND f.flag = ?)")
            }
            arguments.append(flag)
        }
        if let badge = filter.officerBadge { clauses.append("c.officer_badge = ?"); arguments.append(badge) }
        if let serial = filter.deviceSerial { clauses.append("c.device_serial = ?"); arguments.append(serial) }
        if let from = filter.recordedFrom {
            clauses.append("\(effectiveRecordedAt) >= ?")
            arguments.append(from.timeIntervalSince1970)
        }
        if let before = filter.recordedBefore {
            clauses.append("\(effectiveRecordedAt) < ?")
            arguments.append(before.timeIntervalSince1970)
        }
        if let number = filter.caseNumber { clauses.append("c.case_number = ?"); arguments.append(number) }
        if filter.lateOnly { clauses.append("c.late = 1") }
        if !filter.withDisposed { clauses.append("c.disposed_at IS NULL") }
        if let after = filter.afterSHA256 {
            clauses.append("(\(order)) > (SELECT ingested_at, sha256 FROM clip WHERE sha256 = ?)")
            arguments.append(after)
        }
        if !filter.hidden.isEmpty {
            let flags = filter.hidden.map(\.rawValue).sorted()
            clauses.append("""
                NOT EXISTS (SELECT 1 FROM confidentiality_event e
                            WHERE e.target IN ('clip:' || c.sha256, 'case:' || c.case_number)
                              AND e.flag IN (\(flags.map { _ in "?" }.joined(separator: ", "))) AND e.action = 'add'
                              AND e.id = (SELECT max(id) FROM confidentiality_event m WHERE m.target = e.target AND m.flag = e.flag))
                """)
            arguments += flags
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [filter.limit ?? -1, filter.offset]
        return ("SELECT c.* FROM \(source) \(whereSQL) ORDER BY \(order) LIMIT ? OFFSET ?", StatementArguments(arguments))
    }

    /// Whether a badge is one the catalog knows: in the ledger, or on a clip (a badge a camera
    /// claimed that was never registered).
    public func knowsOfficer(_ badge: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM officer_revision WHERE badge = ?) OR EXISTS (SELECT 1 FROM clip WHERE officer_badge = ?)
                """, arguments: [badge, badge]) ?? false
        }
    }

    /// Whether a serial is one the catalog knows: in the ledger (placeholders included), or on a clip.
    public func knowsDevice(_ serial: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM device_revision WHERE serial = ?) OR EXISTS (SELECT 1 FROM clip WHERE device_serial = ?)
                """, arguments: [serial, serial]) ?? false
        }
    }
}
