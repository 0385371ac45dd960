import CustodyCore
import Foundation
import GRDB
import Testing
@testable import CustodyCatalog

/// A catalog written before rows were bound to the chain still verifies: the migration writes a
/// baseline of every existing row into the chain, audited as such, and binds them from there on.
@Suite("Baseline of rows written before binding")
struct BoundBaselineTests {
    @Test("a v7 catalog's rows get audit.baseline events on upgrade, verify, and an edit after it is named")
    func oldCatalogVerifies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custody-v7-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("catalog.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try CatalogSchema.migrator.migrate(queue, upTo: "v7-side-files")
            try queue.write { db in
                // 450 clips (three baseline events of clips) with the old-style audit rows, which carry no state.
                for n in 0..<450 {
                    let sha = String(format: "%064x", n)
                    try db.execute(sql: """
                        INSERT INTO clip (sha256, size_bytes, media_kind, format, time_source, ingested_at, flags, first_source_path,
                                          retention_class)
                        VALUES (?, 10, 'video', 'mp4', 'container', ?, '[]', 'x', ?)
                        """, arguments: [sha, Double(n), n == 7 ? "long-term" : "routine"])
                    try AuditLog.append(db, actor: "custodyd", action: "clip.ingest", object: "clip:\(sha)", detail: ["size": "10"])
                }
                try db.execute(sql: "INSERT INTO hold_event (target, action, reason, recorded_by, recorded_at) VALUES ('clip:x', 'add', 'r', 'a', 0)")
            }
        }
        let catalog = try Catalog(path: path)
        let result = try catalog.verifyAudit()
        #expect(result.valid, "\(result.mismatches.map(\.message))")
        #expect(result.boundRowsChecked == 451)
        let baselines = try catalog.auditEntries(AuditFilter(action: "audit.baseline"))
        #expect(baselines.count == 4)
        #expect(baselines.allSatisfy { $0.actor == "custodyd" && $0.detail.contains("\"reason\":") })
        try catalog.pool.write { db in
            try db.execute(sql: "UPDATE clip SET retention_class = 'routine' WHERE sha256 = ?", arguments: [String(format: "%064x", 7)])
        }
        let edited = try catalog.verifyAudit()
        #expect(!edited.valid)
        #expect(edited.problem?.hasPrefix("clip 00000000: retention_class is \"routine\", the chain says \"long-term\" (row ") == true)
    }

    @Test("a writer that carries a row its kind of event does not declare is refused")
    func undeclaredRowsRefused() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        try catalog.pool.write { db in
            try db.execute(sql: "INSERT INTO hold_event (target, action, reason, recorded_by, recorded_at) VALUES ('clip:x', 'add', 'r', 'a', 0)")
        }
        #expect(throws: BoundError.self) {
            try catalog.pool.write { db in
                try AuditLog.append(db, actor: "t", action: "clip.annotate", object: "x", rows: [BoundRow(.holdEvent, 1)])
            }
        }
    }
}
