import CustodyCore
import Foundation
import GRDB

extension CatalogSchema {
    /// Authorization issue, item 1: people are identities (uid + the name at the time). Every
    /// `*_by` column already holds `Person.auditName` (`uid:N(name)`), written from the caller's
    /// `SO_PEERCRED`; what the clerk typed for another person did not: an access request's
    /// station user was free text. Registers are append-only, so their rows are not rewritten:
    /// `person_resolution` records, once, which account such a text names (resolved here, at
    /// migration time, through the system's user database, and audited); a text that names no
    /// account stays unresolved, and the approval rules refuse it rather than guess. A deadline
    /// exception gains the person who asked for it, whom its approver must not be.
    static let identitiesSQL = """
        CREATE TABLE person_resolution (
            target TEXT PRIMARY KEY,
            uid INTEGER NOT NULL,
            name TEXT NOT NULL,
            resolved_from TEXT NOT NULL,
            resolved_at REAL NOT NULL
        );
        CREATE TRIGGER person_resolution_append_only BEFORE UPDATE ON person_resolution
            BEGIN SELECT RAISE(ABORT, 'a resolved identity is never edited'); END;
        CREATE TRIGGER person_resolution_no_delete BEFORE DELETE ON person_resolution
            BEGIN SELECT RAISE(ABORT, 'a resolved identity is never deleted'); END;
        ALTER TABLE deadline_exception ADD COLUMN requested_by TEXT;
        """

    /// Resolves the free-text station users of access requests registered before identities.
    static func resolveLegacyRequesters(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, request FROM access_request ORDER BY id")
        for row in rows {
            let id: Int64 = row["id"]
            guard let request = try? JSONDecoder().decode(AccessRequest.self, from: Data((row["request"] as String).utf8)),
                  request.requester.stationUser == nil, let text = request.requester.unresolvedStationUser,
                  let person = UserAccounts.person(text.trimmingCharacters(in: .whitespaces)) else { continue }
            try db.execute(sql: "INSERT INTO person_resolution (target, uid, name, resolved_from, resolved_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: ["access:\(id):requester", person.uid, person.name, text, Date().timeIntervalSince1970])
            try AuditLog.append(db, actor: "custodyd", action: "person.resolve", object: "access:\(id)",
                                detail: ["role": "requester", "typed": text, "person": person.auditName])
        }
    }
}

extension CatalogSchema {
    /// Authorization issue, item 5: a catalog's own identity, which the store it owns records
    /// (`StoreOwner`), so a second daemon with another catalog cannot adopt that store.
    static let catalogIdentitySQL = """
        CREATE TABLE catalog_identity (id TEXT NOT NULL, created_at REAL NOT NULL);
        INSERT INTO catalog_identity (id, created_at) VALUES (lower(hex(randomblob(16))), CAST(strftime('%s', 'now') AS REAL));
        CREATE TRIGGER catalog_identity_append_only BEFORE UPDATE ON catalog_identity
            BEGIN SELECT RAISE(ABORT, 'a catalog keeps its identity'); END;
        CREATE TRIGGER catalog_identity_no_delete BEFORE DELETE ON catalog_identity
            BEGIN SELECT RAISE(ABORT, 'a catalog keeps its identity'); END;
        """
}

extension Catalog {
    /// The catalog's identity (a random id made when it was created).
    public func identity() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM catalog_identity LIMIT 1") ?? "" }
    }
}
