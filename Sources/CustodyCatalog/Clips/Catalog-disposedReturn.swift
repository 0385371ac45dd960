import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// The kind of dump issue a disposed clip brought back by a camera leaves on its dump.
    public static let disposedReturnKind = "disposed-clip"

    /// A file whose bytes are those of a disposed clip (issue 19, item 1): not cataloged again and
    /// not stored again (the ingest removes the copy it made once this commits; startup recovery
    /// removes it otherwise). The dump gets an issue naming the disposal, and the clip's trail a row
    /// saying where it came back from; both rows carry what rebuilds them (dump, path, disposal).
    /// Nil when the bytes are not a disposed clip's.
    static func refuseDisposed(_ file: IngestedFile, at: Date, db: Database) throws -> CatalogOutcome? {
        let sha256 = file.clip.sha256
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT c.disposed_at, t.proposal_id, t.approved_by FROM clip c LEFT JOIN tombstone t ON t.clip_sha256 = c.sha256
            WHERE c.sha256 = ? AND c.disposed_at IS NOT NULL
            """), arguments: [sha256]) else { return nil }
        let disposedAt = Date(timeIntervalSince1970: row["disposed_at"])
        let proposal = (row["proposal_id"] as Int64?).map(String.init) ?? "?"
        let message = "the bytes of clip \(sha256) were disposed on \(ISO8601DateFormatter().string(from: disposedAt)) "
            + "(disposal proposal \(proposal), approved by \(row["approved_by"] as String? ?? "?")); the file was not stored again. "
            + "Clear it from the camera; `custodyctl clips show \(sha256.prefix(12))` shows the tombstone"
        try db.execute(sql: """
            INSERT INTO dump_issue (dump_id, source_path_raw, source_path, kind, message, at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [file.dumpID, Data(file.sourcePath.bytes), file.sourcePath.display, disposedReturnKind, message,
                             at.timeIntervalSince1970])
        try AuditLog.append(db, actor: "custodyd", action: "file.\(disposedReturnKind)", object: "dump:\(file.dumpID)",
                            detail: ["path": file.sourcePath.display, "message": message])
        try AuditLog.append(db, actor: "custodyd", action: "clip.disposed-returned", object: "clip:\(sha256)",
                            detail: ["dump": String(file.dumpID), "path": file.sourcePath.display, "size": String(file.clip.sizeBytes),
                                     "proposal": proposal])
        return .disposedClip
    }
}
