import CustodyCore
import Foundation
import GRDB
import Testing
@testable import CustodyCatalog

/// The `v8-identities` migration (authorization issue, item 1): access requests whose station user
/// was free text get that text resolved to an account once, recorded beside the append-only
/// register and audited; text that names no account stays unresolved, for the rules to refuse.
@Suite("People migrated to identities")
struct IdentityMigrationTests {
    @Test("a v7 catalog's requesters typed as a name or a uid become accounts; an unknown name stays unresolved; the register rows are unchanged")
    func legacyRequesters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custody-v7-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("catalog.sqlite").path
        let typed = ["root", "0", "nosuch-user-\(UUID().uuidString.prefix(8))"]
        var stored: [String] = []
        do {
            let queue = try DatabaseQueue(path: path)
            try CatalogSchema.migrator.migrate(queue, upTo: "v7-side-files")
            try queue.write { db in
                for text in typed {
                    let json = #"{"requester":{"name":"王五","unit":"本局","kind":"agencyStaff","stationUser":"\#(text)"},"documents":[],"clips":[],"purpose":"核查","action":"view","requestedBy":"uid:0(root)"}"#
                    stored.append(json)
                    try db.execute(sql: "INSERT INTO access_request (request, registered_by, registered_uid, registered_at) VALUES (?, 'uid:0(root)', 0, 0)",
                                   arguments: [json])
                }
            }
        }
        let catalog = try Catalog(path: path)
        let entries = try catalog.accessEntries()
        #expect(entries.map(\.request.requester.stationUser) == [Person(uid: 0, name: "root"), Person(uid: 0, name: "root"), nil])
        #expect(entries[2].request.requester.unresolvedStationUser == typed[2])
        #expect(entries.map(\.clerk) == Array(repeating: Person(uid: 0, name: "root"), count: 3))
        let resolved = try catalog.auditEntries(AuditFilter(action: "person.resolve"))
        #expect(resolved.map(\.object) == ["access:1", "access:2"])
        let rows = try catalog.pool.read { db in try String.fetchAll(db, sql: "SELECT request FROM access_request ORDER BY id") }
        #expect(rows == stored, "the register itself is not rewritten")
    }
}
