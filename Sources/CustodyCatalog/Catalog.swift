import CustodyCore
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The evidence catalog: one SQLite file in WAL mode with `synchronous=FULL`, owned by one daemon.
///
/// No GRDB type leaves this module (DESIGN.md, "Seams for many stations"): callers see domain
/// values, so a shared PostgreSQL catalog can later be a second implementation.
public final class Catalog: Sendable {
    let pool: DatabasePool
    private let lockFD: Int32
    /// The station's signature and alarm for stamps (`useSeal`); none until the daemon sets it.
    let stampSeal = Mutex<StampSeal?>(nil)

    /// Opens (creating if needed) the catalog at `path` and migrates it.
    /// - Parameter exclusive: take the single-writer lock; a second daemon on the same catalog is refused.
    public init(path: String, exclusive: Bool = true) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        if exclusive {
            let lockPath = path + ".lock"
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CatalogError.cannotOpen(path: lockPath, errno: errno) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                close(fd)
                throw CatalogError.inUse(path: path)
            }
            lockFD = fd
        } else {
            lockFD = -1
        }
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        config.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: config)
        // GRDB's WAL setup sets `synchronous = NORMAL` on the writer after prepareDatabase ran, so
        // commits would not be fsynced (found by the power-loss trials). FULL again, and checked.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            guard try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2 else {
                throw CatalogError.cannotOpen(path: path, errno: EIO)
            }
        }
        try CatalogSchema.migrator.migrate(pool)
        // The catalog's file names (a new database, its -wal) live in the folder: make them durable.
        let folder = directory.isEmpty ? "." : directory
        let dirFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }

    deinit {
        if lockFD >= 0 { close(lockFD) }
    }

    /// Appends one audit row on its own (for events with no other change to record).
    @discardableResult
    public func audit(actor: String, action: String, object: String, detail: [String: String] = [:]) throws -> AuditEntry {
        try pool.write { db in try AuditLog.append(db, actor: actor, action: action, object: object, detail: detail) }
    }

    /// One object's audit rows, oldest first, through the `audit_object` index.
    static let auditOfObjectSQL = "SELECT * FROM audit WHERE object = ? ORDER BY seq LIMIT ?"

    /// One object's audit rows of one action, oldest first, through the `audit_object` index
    /// (the station's key and acknowledgments at start, without scanning a million rows).
    public func auditEntries(object: String, action: String) throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE object = ? AND action = ? ORDER BY seq", arguments: [object, action]).map { row in
                AuditEntry(seq: row["seq"], at: Date(timeIntervalSince1970: Double(row["at_ms"] as Int64) / 1000),
                           actor: row["actor"], action: row["action"], object: row["object"], detail: row["detail"],
                           prevHash: row["prev_hash"], hash: row["hash"])
            }
        }
    }

    /// Audit rows, newest last, optionally only those about one object.
    public func auditEntries(object: String? = nil, limit: Int = 1000) throws -> [AuditEntry] {
        try pool.read { db in
            let rows: [Row]
            if let object {
                rows = try Row.fetchAll(db, sql: Self.auditOfObjectSQL, arguments: [object, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq DESC LIMIT ?", arguments: [limit])
                    .reversed()
            }
            return rows.map { row in
                AuditEntry(seq: row["seq"], at: Date(timeIntervalSince1970: Double(row["at_ms"] as Int64) / 1000),
                           actor: row["actor"], action: row["action"], object: row["object"], detail: row["detail"],
                           prevHash: row["prev_hash"], hash: row["hash"])
            }
        }
    }
}

/// Why the catalog could not be opened, phrased for the administrator.
public enum CatalogError: Error, CustomStringConvertible {
    case inUse(path: String)
    case cannotOpen(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .inUse(let path):
            return "catalog \(path) is in use by another custodyd; stop it first (only one daemon may own a catalog)"
        case .cannotOpen(let path, let code):
            return "cannot open \(path): \(String(cString: strerror(code)))"
        }
    }
}
