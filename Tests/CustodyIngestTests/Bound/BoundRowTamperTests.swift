import CustodyCatalog
import CustodyCore
import Foundation
import GRDB
import Testing
@testable import CustodyIngest

/// Every row that decides what happens to evidence is bound to the audit chain (provable-catalog
/// issue, item 1): an edit of any bound column in the SQLite file, made with the daemon stopped,
/// is named by `audit verify` and by `fsck` (one check, one verdict).
@Suite("Catalog rows bound to the audit chain", .serialized)
struct BoundRowTamperTests {
    @Test("every write path leaves a catalog that agrees with its chain, and every bound table has rows")
    func cleanCatalogAgrees() throws {
        let fixture = try BoundCatalogFixture.make()
        let result = try fixture.catalog.verifyAudit()
        #expect(result.valid, "\(result.mismatches.map(\.message))")
        #expect(result.mismatches.isEmpty)
        let check = try StoreCheck(catalog: fixture.catalog, store: fixture.store).run()
        #expect(check.consistent, "\(check)")
        let queue = try DatabaseQueue(path: fixture.catalogPath)
        for table in Self.boundTables {
            let rows = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            #expect(rows > 0, "the fixture leaves \(table) empty, so its columns are not tried")
        }
    }

    @Test("an edit of any column of any bound table behind the daemon's back is named by audit verify and fsck")
    func everyBoundColumnIsChecked() throws {
        let fixture = try BoundCatalogFixture.make()
        let pristine = fixture.folder + "/pristine.sqlite"
        try Self.snapshot(fixture.catalogPath, to: pristine)
        var tried = 0
        for table in Self.boundTables {
            let columns = try DatabaseQueue(path: pristine).read { db in try db.columns(in: table) }
            let keys = try DatabaseQueue(path: pristine).read { db in try db.primaryKey(table).columns }
            for column in columns {
                let work = fixture.folder + "/work-\(table)-\(column.name).sqlite"
                try FileManager.default.copyItem(atPath: pristine, toPath: work)
                guard let (old, new) = try Self.edit(work, table: table, column: column.name) else {
                    Issue.record("no value of \(table).\(column.name) other than the one it holds could be written")
                    continue
                }
                let expected = keys.contains(column.name) ? nil : column.name
                let catalog = try Catalog(path: work)
                let verify = try catalog.verifyAudit()
                let fsck = try StoreCheck(catalog: catalog, store: fixture.store).run()
                for (name, result) in [("audit verify", verify), ("fsck", fsck.audit)] {
                    let named = result.mismatches.contains { $0.table == table && (expected == nil || $0.column == expected) }
                    #expect(!result.valid && named,
                            "\(name) missed \(table).\(column.name) \(old) → \(new): \(result.mismatches.map(\.message))")
                }
                #expect(!fsck.consistent)
                tried += 1
            }
        }
        #expect(tried > 150)
    }

    @Test("an edited clip's officer, recording time and retention class are named with the chain's value and row")
    func clipFieldsNamed() throws {
        let fixture = try BoundCatalogFixture.make()
        let pristine = fixture.folder + "/pristine.sqlite"
        try Self.snapshot(fixture.catalogPath, to: pristine)
        let sha = fixture.clips[1]
        for (column, value) in [("officer_badge", "999999"), ("recorded_at", "1.5"), ("retention_class", "routine")] {
            let work = fixture.folder + "/clip-\(column).sqlite"
            try FileManager.default.copyItem(atPath: pristine, toPath: work)
            try Self.tamper(work, "DROP TRIGGER IF EXISTS clip_source_fixed; UPDATE clip SET \(column) = '\(value)' WHERE sha256 = '\(sha)'")
            let result = try Catalog(path: work).verifyAudit()
            let mismatch = try #require(result.mismatches.first { $0.column == column })
            #expect(mismatch.message.hasPrefix("clip \(sha.prefix(8)): \(column) is \"\(value)\", the chain says "))
            #expect(mismatch.message.hasSuffix("(row \(mismatch.seq!))"))
            #expect(result.problem == mismatch.message || result.mismatches.first?.message == result.problem)
        }
    }

    @Test("a row deleted from, or slipped into, a bound table is named")
    func deletedAndInsertedRows() throws {
        let fixture = try BoundCatalogFixture.make()
        let pristine = fixture.folder + "/pristine.sqlite"
        try Self.snapshot(fixture.catalogPath, to: pristine)
        let hold = fixture.folder + "/hold-removed.sqlite"
        try FileManager.default.copyItem(atPath: pristine, toPath: hold)
        // Lifting a hold without an event: the clip would become disposable.
        try Self.tamper(hold, "INSERT INTO hold_event (target, action, reason, recorded_by, recorded_at) SELECT target, 'remove', 'x', 'mallory', 0 FROM hold_event")
        let inserted = try Catalog(path: hold).verifyAudit()
        #expect(inserted.mismatches.contains { $0.table == "hold_event" && $0.message.contains("not in the audit chain") })
        let gone = fixture.folder + "/mark-deleted.sqlite"
        try FileManager.default.copyItem(atPath: pristine, toPath: gone)
        try Self.tamper(gone, "DROP TRIGGER long_term_mark_no_delete; DELETE FROM long_term_mark")
        let deleted = try Catalog(path: gone).verifyAudit()
        #expect(deleted.mismatches.contains { $0.table == "long_term_mark" && $0.message.contains("missing from the catalog") })
    }

    @Test("the database itself refuses to edit or delete in place any row history is made of, and a clip's identity")
    func appendOnlyByTheDatabase() throws {
        let fixture = try BoundCatalogFixture.make()
        let queue = try DatabaseQueue(path: fixture.catalogPath)
        try fixture.catalog.writeCheckpoint(reason: "test")
        let tables = Self.boundTables.filter { $0 != "clip" } + ["audit", "audit_checkpoint"]
        try queue.inDatabase { db in
            for table in tables {
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 > 0, "\(table) has no row to try")
                for column in try db.columns(in: table) {
                    #expect(throws: (any Error).self, "\(table).\(column.name) was updated in place") {
                        try db.execute(sql: "UPDATE \(table) SET \(column.name) = \(column.name)")
                    }
                }
                #expect(throws: (any Error).self, "a row of \(table) was deleted") { try db.execute(sql: "DELETE FROM \(table)") }
            }
            #expect(throws: (any Error).self) { try db.execute(sql: "DELETE FROM clip") }
            let fixed = ["sha256", "size_bytes", "ingested_at", "media_kind", "format", "duration_seconds", "first_source_path",
                         "container_recorded_at"]
            for column in fixed {
                #expect(throws: (any Error).self, "clip.\(column) was updated in place") {
                    try db.execute(sql: "UPDATE clip SET \(column) = \(column) WHERE flags NOT LIKE '%adopted-from-store%'")
                }
            }
            // What the catalog derives and re-derives stays writable: retention, the ledger match, the verdict, and what a
            // re-parse, a docking's clock offset or a clerk's correction changes (each an audit event carrying the row).
            try db.inSavepoint {
                try db.execute(sql: "UPDATE clip SET retention_class = retention_class, officer_badge = officer_badge, due_at = due_at")
                try db.execute(sql: """
                    UPDATE clip SET recorded_at = recorded_at, time_source = time_source, claimed_badge = claimed_badge,
                                    claimed_serial = claimed_serial, device_serial = device_serial, clock_offset_seconds = clock_offset_seconds,
                                    clerk_serial = clerk_serial, clerk_badge = clerk_badge, clerk_recorded_at = clerk_recorded_at
                    """)
                return .rollback
            }
        }
    }

    static let boundTables = ["clip", "provenance", "annotation", "legal_case", "case_event", "long_term_mark", "hold_event",
                              "confidentiality_event", "disposal_proposal", "disposal_item", "disposal_decision", "tombstone",
                              "disc_set", "disc_set_item", "disc_copy_event", "access_request", "access_decision", "access_use",
                              "officer_revision", "device_revision", "handover", "deadline_exception", "interruption", "clip_correction",
                              "access_allowance"]

    /// A consistent copy of the catalog file (its WAL folded in first).
    static func snapshot(_ path: String, to copy: String) throws {
        let source = try DatabasePool(path: path)
        let target = try DatabaseQueue(path: copy)
        try source.backup(to: target)
    }

    /// What someone with the file does: drops the table's triggers and writes.
    static func tamper(_ path: String, _ sql: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.write { try $0.execute(sql: sql) }
    }

    /// Changes one column of the table's first row to another value its constraints accept.
    static func edit(_ path: String, table: String, column: String) throws -> (String, String)? {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: config)
        return try queue.write { db -> (String, String)? in
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", arguments: [table]) {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT rowid AS r, \(column) AS v FROM \(table) ORDER BY rowid LIMIT 1") else { return nil }
            let old: DatabaseValue = row["v"]
            for candidate in candidates(for: old) where candidate != old {
                do {
                    try db.inSavepoint {
                        try db.execute(sql: "UPDATE \(table) SET \(column) = ? WHERE rowid = ?", arguments: [candidate, row["r"]])
                        return .commit
                    }
                    return (old.description, candidate.description)
                } catch {
                    continue
                }
            }
            return nil
        }
    }

    /// Values to try in place of `old`: a small change of the same kind first, then the other
    /// members of the enumerations the schema's CHECK constraints allow.
    static func candidates(for old: DatabaseValue) -> [DatabaseValue] {
        var out: [DatabaseValue] = []
        switch old.storage {
        case .int64(let n): out = [(n + 1_000_003).databaseValue, (n == 0 ? 1 : 0).databaseValue]
        case .double(let d): out = [(d + 1.5).databaseValue]
        case .blob(let data): out = [(data + Data([0x2A])).databaseValue]
        case .string(let s):
            if s.count == 64, s.allSatisfy(\.isHexDigit) {
                out = [(String(s.dropLast()) + (s.hasSuffix("0") ? "1" : "0")).databaseValue]
            }
            out += [s + "x", "remove", "add", "refused", "approved", "denied", "A", "B", "archived", "closed", "reopened"].map(\.databaseValue)
        case .null: out = [1.databaseValue, "x".databaseValue]  // a number first: a REAL column the catalog decodes (a time) holds no text
        }
        return out
    }
}
