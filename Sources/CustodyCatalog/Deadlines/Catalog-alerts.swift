import CustodyCore
import Foundation
import GRDB

/// One raised alert as remembered by the catalog, so it is raised once per condition and level
/// even across daemon restarts (deadlines issue, "Alerts": deduplicated, re-raised on escalation).
public struct AlertRecord: Sendable, Equatable, Codable {
    public var key: String
    public var level: String
    public var message: String
    public var raisedAt: Date
}

extension Catalog {
    /// Remembers an alert for `key` at `level`; true when it is new (then it is also audited and
    /// should be sent), false when the same condition was already raised at that level.
    public func raiseAlert(key: String, level: String, message: String, detail: [String: String], at: Date = Date()) throws -> Bool {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM alert WHERE key = ? AND level = ? AND cleared_at IS NULL",
                                 arguments: [key, level]) == true {
                return false
            }
            try db.execute(sql: "INSERT INTO alert (key, level, message, raised_at) VALUES (?, ?, ?, ?)",
                           arguments: [key, level, message, at.timeIntervalSince1970])
            try AuditLog.append(db, actor: "custodyd", action: "alert.raised", object: "alert:\(key)",
                                detail: detail.merging(["level": level, "message": message]) { a, _ in a }, at: at)
            return true
        }
    }

    /// Clears the open alerts whose condition is over (a key not in `active` among those starting
    /// with one of `prefixes`), so the same condition arising later is raised again. Audited.
    public func clearAlerts(notIn active: Set<String>, prefixes: [String], at: Date = Date()) throws {
        try pool.write { db in
            let open = try Row.fetchAll(db, sql: "SELECT DISTINCT key FROM alert WHERE cleared_at IS NULL")
            for row in open {
                let key: String = row["key"]
                guard !active.contains(key), prefixes.contains(where: { key.hasPrefix($0) }) else { continue }
                try db.execute(sql: "UPDATE alert SET cleared_at = ? WHERE key = ? AND cleared_at IS NULL",
                               arguments: [at.timeIntervalSince1970, key])
                try AuditLog.append(db, actor: "custodyd", action: "alert.cleared", object: "alert:\(key)", at: at)
            }
        }
    }

    /// Alerts whose condition still holds, oldest first.
    public func openAlerts() throws -> [AlertRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE cleared_at IS NULL ORDER BY id").map {
                AlertRecord(key: $0["key"], level: $0["level"], message: $0["message"],
                            raisedAt: Date(timeIntervalSince1970: $0["raised_at"]))
            }
        }
    }

    /// Bytes ingested (new clips) since `since`, for the capacity forecast.
    public func bytesIngested(since: Date) throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: Self.bytesIngestedSQL, arguments: [since.timeIntervalSince1970]) ?? 0 }
    }

    /// From the covering `clip_ingest_order` index: a week is a short range, not a million rows.
    static let bytesIngestedSQL = "SELECT coalesce(sum(size_bytes), 0) FROM clip WHERE ingested_at >= ?"
}
