import CustodyCore
import Foundation
import GRDB

/// A side file of a dump as kept: where it was, what it is, its hash (its bytes stay in the catalog).
public struct SideFile: Sendable, Equatable, Codable {
    public var dumpID: Int64
    public var sourcePath: String
    public var kind: SideFiles.Kind
    public var sizeBytes: UInt64
    public var sha256: String
    public var keptAt: Date
    public init(dumpID: Int64, sourcePath: String, kind: SideFiles.Kind, sizeBytes: UInt64, sha256: String, keptAt: Date) {
        self.dumpID = dumpID; self.sourcePath = sourcePath; self.kind = kind; self.sizeBytes = sizeBytes
        self.sha256 = sha256; self.keptAt = keptAt
    }
}

extension Catalog {
    /// Keeps a side file with its dump (audited as `file.side-file`). The same bytes at the same
    /// path of the same dump are kept once, so a resumed dump may keep its side files again.
    /// - Returns: whether the file was new to this dump.
    @discardableResult
    public func keepSideFile(dumpID: Int64, path: RawPath, kind: SideFiles.Kind, content: [UInt8], sha256: String,
                             at: Date = Date()) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO dump_side_file (dump_id, source_path_raw, source_path, kind, size_bytes, sha256, content, kept_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [dumpID, Data(path.bytes), path.display, kind.rawValue, content.count, sha256,
                                 Data(content), at.timeIntervalSince1970])
            guard db.changesCount > 0 else { return false }
            try AuditLog.append(db, actor: "custodyd", action: "file.side-file", object: "dump:\(dumpID)",
                                detail: ["path": path.display, "kind": kind.rawValue, "sha256": sha256, "size": "\(content.count)"])
            return true
        }
    }

    /// The side files kept with a dump, in the order they were kept.
    public func sideFiles(dumpID: Int64) throws -> [SideFile] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT dump_id, source_path, kind, size_bytes, sha256, kept_at FROM dump_side_file WHERE dump_id = ? ORDER BY id
                """, arguments: [dumpID]).map { row in
                SideFile(dumpID: row["dump_id"], sourcePath: row["source_path"],
                         kind: SideFiles.Kind(rawValue: row["kind"]) ?? .bookkeeping, sizeBytes: UInt64(row["size_bytes"] as Int64),
                         sha256: row["sha256"], keptAt: Date(timeIntervalSince1970: row["kept_at"]))
            }
        }
    }

    /// The bytes of a side file as kept (a clerk may read a camera's sn.txt as it was).
    public func sideFileContent(dumpID: Int64, sourcePath: String) throws -> [UInt8]? {
        try pool.read { db in
            try Data.fetchOne(db, sql: "SELECT content FROM dump_side_file WHERE dump_id = ? AND source_path = ? ORDER BY id DESC LIMIT 1",
                              arguments: [dumpID, sourcePath]).map { Array($0) }
        }
    }
}
