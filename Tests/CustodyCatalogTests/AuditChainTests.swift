import CustodyCore
import Foundation
import Testing
@testable import CustodyCatalog

/// The audit log is hash-chained from genesis (DESIGN.md principle 3).
@Suite("Audit chain")
struct AuditChainTests {
    static func freshCatalog() throws -> (Catalog, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custody-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("catalog.sqlite").path
        return (try Catalog(path: path), path)
    }

    @Test("a fresh chain of appended rows verifies, and each row links to the one before")
    func intactChain() throws {
        let (catalog, _) = try Self.freshCatalog()
        for i in 0..<20 { try catalog.audit(actor: "test", action: "event", object: "thing:\(i)", detail: ["i": "\(i)"]) }
        let result = try catalog.verifyAudit()
        #expect(result.valid)
        #expect(result.rows == 20)
        let rows = try catalog.auditEntries()
        #expect(rows.first?.prevHash == AuditLog.genesisHash)
        for (a, b) in zip(rows, rows.dropFirst()) { #expect(b.prevHash == a.hash) }
    }

    @Test("the database refuses to update or delete an audit row")
    func appendOnly() throws {
        let (catalog, _) = try Self.freshCatalog()
        try catalog.audit(actor: "test", action: "event", object: "x")
        #expect(throws: (any Error).self) { try catalog.pool.write { try $0.execute(sql: "UPDATE audit SET actor = 'mallory'") } }
        #expect(throws: (any Error).self) { try catalog.pool.write { try $0.execute(sql: "DELETE FROM audit") } }
    }

    @Test("editing, deleting or swapping rows behind the database's back is found and the row named")
    func tamperingIsFound() throws {
        for tamper in [
            "DROP TRIGGER audit_no_update; UPDATE audit SET detail = '{\"i\":\"9\"}' WHERE seq = 5",
            "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 5",
            "DROP TRIGGER audit_no_update; UPDATE audit SET seq = -5 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = -5",
        ] {
            let (catalog, _) = try Self.freshCatalog()
            for i in 0..<10 { try catalog.audit(actor: "test", action: "event", object: "thing:\(i)", detail: ["i": "\(i)"]) }
            try catalog.pool.write { try $0.execute(sql: tamper) }
            let result = try catalog.verifyAudit()
            #expect(!result.valid, "not detected: \(tamper)")
            #expect(result.firstBadSeq == 5, "wrong row named for: \(tamper): \(String(describing: result.problem))")
        }
    }

    @Test("a second daemon opening the same catalog is refused with a clear message")
    func singleWriter() throws {
        let (catalog, path) = try Self.freshCatalog()
        #expect(throws: CatalogError.self) { _ = try Catalog(path: path) }
        do {
            _ = try Catalog(path: path)
        } catch {
            #expect("\(error)".contains("in use by another custodyd"))
        }
        _ = catalog
    }
}
