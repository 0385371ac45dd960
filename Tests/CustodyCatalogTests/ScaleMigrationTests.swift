import CustodyCore
import Foundation
import GRDB
import Testing
@testable import CustodyCatalog

/// The `v6-catalog-scale` migration on a catalog that already holds clips, and the derived
/// tables it keeps afterwards (performance issue).
@Suite("Catalog scale migration")
struct ScaleMigrationTests {
    @Test("a v5 catalog with clips gains their flags as rows and their totals when it is opened")
    func upgradesExistingClips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custody-v5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("catalog.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try CatalogSchema.migrator.migrate(queue, upTo: "v5-access")
            try queue.write { db in
                for (n, flags, late) in [(1, #"["no-handover","late"]"#, 1), (2, "[]", 0), (3, #"["important"]"#, 0)] {
                    try db.execute(sql: """
                        INSERT INTO clip (sha256, size_bytes, media_kind, format, time_source, ingested_at, late, flags, first_source_path)
                        VALUES (?, 10, 'video', 'mp4', 'container', ?, ?, ?, 'x')
                        """, arguments: [String(format: "%064x", n), Double(n), late, flags])
                }
            }
        }
        let catalog = try Catalog(path: path)
        #expect(try catalog.clipCount() == 3)
        #expect(try catalog.lateClipCount() == 1)
        #expect(try catalog.clips(ClipFilter(flag: "no-handover")).map(\.sha256) == [String(format: "%064x", 1)])
        #expect(try catalog.clips(ClipFilter(flag: "important")).map(\.sha256) == [String(format: "%064x", 3)])
        #expect(try catalog.clips(ClipFilter(flag: "late")).count == 1)
    }

    @Test("a checkpoint after a checkpoint hashes on from the saved state and gets the root a full pass gets")
    func incrementalCheckpoint() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        for i in 0..<37 { try catalog.audit(actor: "test", action: "event", object: "thing:\(i)") }
        let first = try catalog.writeCheckpoint(reason: "first")
        for i in 0..<29 { try catalog.audit(actor: "test", action: "event", object: "more:\(i)") }
        let second = try catalog.writeCheckpoint(reason: "second")
        // The same tree from genesis, computed here.
        var full = MerkleAccumulator()
        for entry in try catalog.auditEntries(limit: 10_000) where entry.seq <= second.treeSize {
            full.append(leafData: Array(entry.hash.utf8))
        }
        #expect(first.treeSize == 37 && second.treeSize == 37 + 1 + 29)
        #expect(second.root == full.root.hex)
        #expect(try catalog.verifyCheckpoints().firstBad == nil)
        // A saved state that does not reproduce its root is not trusted: the next checkpoint starts over.
        try catalog.pool.write { db in
            try db.execute(sql: "INSERT INTO audit_checkpoint (tree_size, root, reason, at, subtree_roots) VALUES (5, ?, 'forged', 0, '[]')",
                           arguments: [String(repeating: "0", count: 64)])
        }
        let third = try catalog.writeCheckpoint(reason: "third")
        var again = MerkleAccumulator()
        for entry in try catalog.auditEntries(limit: 10_000) where entry.seq <= third.treeSize {
            again.append(leafData: Array(entry.hash.utf8))
        }
        #expect(third.root == again.root.hex)
    }
}
