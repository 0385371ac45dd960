import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// Records a new revision of an officer's record, audited as `action` (officer.add, officer.deactivate …).
    @discardableResult
    public func saveOfficer(_ officer: Officer, actor: String, action: String, at: Date = Date()) throws -> Officer {
        try pool.write { db in try Self.saveOfficer(officer, actor: actor, action: action, at: at, db: db) }
    }

    static func saveOfficer(_ officer: Officer, actor: String, action: String, at: Date, db: Database) throws -> Officer {
        try db.execute(sql: """
            INSERT INTO officer_revision (badge, name, unit, active, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [officer.badge, officer.name, officer.unit, officer.active, actor, at.timeIntervalSince1970])
        var saved = officer
        saved.revision = db.lastInsertedRowID
        saved.recordedBy = actor
        saved.recordedAt = at
        try AuditLog.append(db, actor: actor, action: action, object: "officer:\(officer.badge)",
                            detail: ["name": officer.name, "unit": officer.unit, "active": String(officer.active),
                                     "revision": String(saved.revision)],
                            rows: [BoundRow(.officerRevision, saved.revision)])
        return saved
    }

    public func officers() throws -> [Officer] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM current_officer ORDER BY badge").map(Self.officer(from:)) }
    }

    public func officer(badge: String) throws -> Officer? {
        try pool.read { db in try Self.officer(badge: badge, db: db) }
    }

    static func officer(badge: String, db: Database) throws -> Officer? {
        try Row.fetchOne(db, sql: "SELECT * FROM current_officer WHERE badge = ?", arguments: [badge]).map(officer(from:))
    }

    /// Every revision of an officer's record, oldest first.
    public func officerHistory(badge: String) throws -> [Officer] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM officer_revision WHERE badge = ? ORDER BY revision", arguments: [badge])
                .map(Self.officer(from:))
        }
    }

    static func officer(from row: Row) -> Officer {
        Officer(badge: row["badge"], name: row["name"], unit: row["unit"], active: row["active"], revision: row["revision"],
                recordedBy: row["recorded_by"], recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
    }
}
