import CustodyCore
import Foundation
import GRDB

/// Everything the catalog holds about one clip's life, for its chain-of-custody report: the audit
/// rows about the clip itself and about what it went through (the dumps that copied it, the
/// handover of the camera that recorded it, its case, its disc copies, the access requests naming
/// it), with the disc sets and requests as they stand.
public struct ClipCustodyTrail: Sendable {
    /// Oldest first.
    public var entries: [AuditEntry]
    public var discSets: [DiscSetRecord]
    public var access: [AccessRegisterEntry]
}

extension Catalog {
    /// The trail of `clip`, read in one transaction (the report is of one instant of the log).
    ///
    /// Rows are found by their object (`audit_object` index): `clip:<sha>`, each `dump:<id>` of its
    /// provenance (only the dump's own events, not other files' refusals), `case:<number>` of every
    /// case it was filed under, `disc:<set>` and its copies, `access:<id>` of every request naming
    /// it, and the `handover.*` rows of the handover that covers its recording.
    public func custodyTrail(of clip: Clip) throws -> ClipCustodyTrail {
        try pool.read { db in
            let sha = clip.sha256
            let dumps = try Int64.fetchAll(db, sql: "SELECT DISTINCT dump_id FROM provenance WHERE clip_sha256 = ? ORDER BY dump_id",
                                           arguments: [sha])
            var cases = try String.fetchAll(db, sql: """
                SELECT DISTINCT case_number FROM annotation WHERE clip_sha256 = ? AND case_number IS NOT NULL ORDER BY id
                """, arguments: [sha])
            if let number = clip.caseNumber, !cases.contains(number) { cases.append(number) }
            let sets = try String.fetchAll(db, sql: "SELECT set_id FROM disc_set_item WHERE clip_sha256 = ? ORDER BY set_id", arguments: [sha])
            let requests = try Int64.fetchAll(db, sql: "SELECT id FROM access_request WHERE instr(request, ?) > 0 ORDER BY id", arguments: [sha])
                .compactMap { try Self.accessEntry(id: $0, db: db) }.filter { $0.request.clips.contains { $0.sha256 == sha } }
            var handovers = Set<String>()
            if let id = clip.handoverID {
                handovers.insert(String(id))
                if let older = try Int64.fetchOne(db, sql: "SELECT supersedes FROM handover WHERE id = ?", arguments: [id]) {
                    handovers.insert(String(older))
                }
            }
            var objects = ["clip:\(sha)"] + dumps.map { "dump:\($0)" } + cases.map { "case:\($0)" }
            objects += sets.flatMap { ["disc:\($0)", "disc:\($0)-A", "disc:\($0)-B"] } + requests.map { "access:\($0.id)" }
            if let serial = clip.deviceSerial, !handovers.isEmpty { objects.append("device:\(serial)") }
            let marks = Array(repeating: "?", count: objects.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE object IN (\(marks)) ORDER BY seq",
                                        arguments: StatementArguments(objects))
            let entries = rows.map(Self.auditEntry(from:)).filter { entry in
                if entry.object.hasPrefix("dump:") { return entry.action.hasPrefix("dump.") }
                if entry.object.hasPrefix("device:") {
                    let detail = JSONText.decodeDictionary(entry.detail)
                    return entry.action.hasPrefix("handover.")
                        && (handovers.contains(detail["handover"] ?? "") || handovers.contains(detail["supersedes"] ?? ""))
                }
                return true
            }
            return ClipCustodyTrail(entries: entries, discSets: try sets.compactMap { try Self.discSet(id: $0, db: db) }, access: requests)
        }
    }

    static func auditEntry(from row: Row) -> AuditEntry {
        AuditEntry(seq: row["seq"], at: Date(timeIntervalSince1970: Double(row["at_ms"] as Int64) / 1000), actor: row["actor"],
                   action: row["action"], object: row["object"], detail: row["detail"], prevHash: row["prev_hash"], hash: row["hash"])
    }
}
