import CustodyCore
import Foundation
import GRDB

/// What an import would change, or did.
public struct LedgerImportOutcome: Sendable, Equatable {
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    /// Ledger rules broken by a row (overlapping handover, unknown officer …), with its line.
    public var errors: [(line: Int, reason: String, reasonZh: String)] = []

    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.added == b.added && a.changed == b.changed && a.unchanged == b.unchanged
            && a.errors.map(\.line) == b.errors.map(\.line) && a.errors.map(\.reason) == b.errors.map(\.reason)
    }
}

/// One record of an import, with the line it came from.
public enum LedgerRecord: Sendable {
    case officer(Officer)
    case device(Device)
    case handover(Handover)
}

extension Catalog {
    /// Applies imported records in one transaction: all or nothing. A dry run, or any broken rule,
    /// rolls everything back; the outcome says what would have changed and which lines are bad.
    public func importLedger(_ records: [(line: Int, record: LedgerRecord)], actor: String, dryRun: Bool,
                             policy: MatchPolicy) throws -> LedgerImportOutcome {
        var outcome = LedgerImportOutcome()
        try pool.writeWithoutTransaction { db in
            try db.inTransaction {
                var serials = Set<String>()
                for (line, record) in records {
                    do {
                        switch record {
                        case .officer(let officer):
                            try Self.importOfficer(officer, actor: actor, db: db, outcome: &outcome)
                        case .device(let device):
                            try Self.importDevice(device, actor: actor, db: db, outcome: &outcome)
                            serials.insert(device.serial)
                        case .handover(let handover):
                            try Self.importHandover(handover, actor: actor, db: db, outcome: &outcome)
                            serials.insert(handover.serial)
                        }
                    } catch let error as LedgerError {
                        outcome.errors.append((line, error.description, error.chinese))
                    }
                }
                guard outcome.errors.isEmpty, !dryRun else { return .rollback }
                for serial in serials { try Self.rematch(serial: serial, actor: actor, policy: policy, now: Date(), db: db) }
                try AuditLog.append(db, actor: actor, action: "ledger.import", object: "ledger",
                                    detail: ["added": String(outcome.added), "changed": String(outcome.changed),
                                             "unchanged": String(outcome.unchanged)])
                return .commit
            }
        }
        return outcome
    }

    private static func importOfficer(_ officer: Officer, actor: String, db: Database, outcome: inout LedgerImportOutcome) throws {
        if let current = try self.officer(badge: officer.badge, db: db) {
            guard current.name != officer.name || current.unit != officer.unit || current.active != officer.active else {
                outcome.unchanged += 1
                return
            }
            _ = try saveOfficer(officer, actor: actor, action: "officer.update", at: Date(), db: db)
            outcome.changed += 1
        } else {
            _ = try saveOfficer(officer, actor: actor, action: "officer.add", at: Date(), db: db)
            outcome.added += 1
        }
    }

    private static func importDevice(_ device: Device, actor: String, db: Database, outcome: inout LedgerImportOutcome) throws {
        if let current = try self.device(serial: device.serial, db: db) {
            guard current.placeholder || current.brand != device.brand || current.model != device.model
                    || current.unit != device.unit || current.keeperBadge != device.keeperBadge || current.status != device.status else {
                outcome.unchanged += 1
                return
            }
            _ = try saveDevice(device, actor: actor, action: "device.update", at: Date(), db: db)
            outcome.changed += 1
        } else {
            _ = try saveDevice(device, actor: actor, action: "device.add", at: Date(), db: db)
            outcome.added += 1
        }
    }

    private static func importHandover(_ h: Handover, actor: String, db: Database, outcome: inout LedgerImportOutcome) throws {
        let existing = try handovers(serial: h.serial, db: db)
        if existing.contains(where: { $0.badge == h.badge && $0.checkedOutAt == h.checkedOutAt && $0.checkedInAt == h.checkedInAt }) {
            outcome.unchanged += 1
            return
        }
        _ = try insertCheckout(serial: h.serial, badge: h.badge, out: h.checkedOutAt, in: h.checkedInAt, offsite: h.offsite,
                               note: h.note, actor: actor, db: db)
        outcome.added += 1
    }

    /// Per handover: clips recorded in it, their total duration and how often each flag occurs.
    public func clipSummary(handoverIDs: [Int64]) throws -> [Int64: (count: Int, seconds: Double, flags: [String: Int])] {
        try pool.read { db in
            var summary: [Int64: (count: Int, seconds: Double, flags: [String: Int])] = [:]
            for id in handoverIDs {
                let rows = try Row.fetchAll(db, sql: "SELECT duration_seconds, flags FROM clip WHERE handover_id = ?", arguments: [id])
                var flags: [String: Int] = [:]
                for row in rows { for flag in JSONText.decodeStrings(row["flags"]) { flags[flag, default: 0] += 1 } }
                summary[id] = (rows.count, rows.reduce(0) { $0 + (($1["duration_seconds"] as Double?) ?? 0) }, flags)
            }
            return summary
        }
    }

    /// Every revision of a device's record, oldest first.
    public func deviceHistory(serial: String) throws -> [Device] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device_revision WHERE serial = ? ORDER BY revision", arguments: [serial])
                .map(Self.device(from:))
        }
    }

    /// Dumps whose clips claim this serial: the device's docking history with clock offsets.
    public func dockings(serial: String) throws -> [Dump] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM dump WHERE device_serial = ?
                   OR id IN (SELECT p.dump_id FROM provenance p JOIN clip c ON c.sha256 = p.clip_sha256 WHERE c.device_serial = ?)
                ORDER BY id
                """, arguments: [serial, serial]).map(Self.dump(from:))
        }
    }
}
