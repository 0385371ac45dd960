import CustodyCore
import Foundation
import GRDB

/// A long-term clip waiting for a disc, with what naming it on the disc needs.
public struct DiscQueueEntry: Sendable, Equatable, Codable {
    public var sha256: String
    public var sizeBytes: Int64
    public var caseNumber: String?
    public var queuedAt: Date
    public var recordedAt: Date?
    public var officerBadge: String?
    public var officerName: String?
    public var deviceSerial: String?
    public var format: String
    /// The source path of its first provenance (for the file extension on the disc).
    public var sourcePath: String
}

/// A planned disc set, its clips, and the state of copy A and B.
public struct DiscSetRecord: Sendable, Equatable, Codable {
    public struct Item: Sendable, Equatable, Codable {
        public var sha256: String
        public var discPath: String
        public var sizeBytes: Int64
    }
    public struct CopyEvent: Sendable, Equatable, Codable {
        public var copy: String
        public var state: String
        public var detail: String
        public var recordedBy: String
        public var recordedAt: Date
    }
    public var id: String
    public var media: String
    public var usedBytes: Int64
    public var fillRatio: Double
    public var note: String
    public var plannedBy: String
    public var plannedAt: Date
    public var items: [Item]
    public var events: [CopyEvent]

    /// The newest state of a copy: none, burning, burned, verified, failed, label-confirmed, stored.
    public func state(of copy: String) -> String { events.last { $0.copy == copy }?.state ?? "none" }
    /// Whether a copy was verified after its last burn (labels and storage keep it verified).
    public func verified(_ copy: String) -> Bool {
        let mine = events.filter { $0.copy == copy }
        guard let lastBurn = mine.lastIndex(where: { $0.state == "burning" }) else { return false }
        let after = mine[lastBurn...]
        return after.contains { $0.state == "verified" } && !after.contains { $0.state == "failed" }
            && after.last.map { ["verified", "label-confirmed", "stored"].contains($0.state) } ?? false
    }
}

extension Catalog {
    /// Long-term clips not yet planned onto a disc set, oldest mark first.
    public func discQueue() throws -> [DiscQueueEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: Self.discQueueSQL).map {
                DiscQueueEntry(sha256: $0["sha256"], sizeBytes: $0["size_bytes"], caseNumber: $0["case_number"],
                               queuedAt: Date(timeIntervalSince1970: $0["queued"]),
                               recordedAt: ($0["recorded"] as Double?).map(Date.init(timeIntervalSince1970:)),
                               officerBadge: $0["officer_badge"], officerName: $0["officer_name"],
                               deviceSerial: $0["device_serial"], format: $0["format"], sourcePath: $0["first_source_path"])
            }
        }
    }

    /// Long-term clips on no disc set, found through `clip_retention_class` (the deadline watch
    /// asks every scan).
    static let discQueueSQL = """
        SELECT c.sha256, c.size_bytes, c.case_number, c.format, c.officer_badge, c.device_serial, c.first_source_path,
               coalesce(c.corrected_recorded_at, c.recorded_at) AS recorded, o.name AS officer_name,
               (SELECT min(marked_at) FROM long_term_mark m WHERE m.clip_sha256 = c.sha256) AS queued
        FROM clip c LEFT JOIN current_officer o ON o.badge = c.officer_badge
        WHERE c.retention_class = 'long-term' AND c.disposed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM disc_set_item i WHERE i.clip_sha256 = c.sha256)
        ORDER BY queued, c.sha256
        """

    /// Records planned sets: each gets the next id of the year (`DS-2026-0007`), its clips with
    /// their names on the disc. Clips already planned meanwhile are refused. Audited.
    public func saveDiscSets(_ sets: [(media: String, usedBytes: Int64, fillRatio: Double, note: String, items: [(sha256: String, discPath: String)])],
                             actor: String, now: Date = Date(), timeZone: TimeZone) throws -> [String] {
        try pool.write { db in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let year = calendar.component(.year, from: now)
            var next = (try Int.fetchOne(db, sql: "SELECT count(*) FROM disc_set WHERE id LIKE ?", arguments: ["DS-\(year)-%"]) ?? 0) + 1
            var ids: [String] = []
            for set in sets {
                let id = String(format: "DS-%04d-%04d", year, next)
                next += 1
                try db.execute(sql: """
                    INSERT INTO disc_set (id, media, used_bytes, fill_ratio, note, planned_by, planned_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, set.media, set.usedBytes, set.fillRatio, set.note, actor, now.timeIntervalSince1970])
                for item in set.items {
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM disc_set_item WHERE clip_sha256 = ?", arguments: [item.sha256]) == true {
                        throw LedgerError("already-planned", "clip \(item.sha256.prefix(12)) is already on a disc set", zh: "录像已在其他光盘组中")
                    }
                    try db.execute(sql: "INSERT INTO disc_set_item (set_id, clip_sha256, disc_path) VALUES (?, ?, ?)",
                                   arguments: [id, item.sha256, item.discPath])
                }
                try AuditLog.append(db, actor: actor, action: "disc.plan", object: "disc:\(id)",
                                    detail: ["media": set.media, "clips": String(set.items.count), "bytes": String(set.usedBytes),
                                             "fill": String(format: "%.4f", set.fillRatio)],
                                    rows: [BoundRow(.discSet, id)] + set.items.map { BoundRow(.discSetItem, id, $0.sha256) })
                ids.append(id)
            }
            return ids
        }
    }

    /// Appends a copy's state change (burning, burned, verified, failed, label-confirmed, stored); audited.
    public func recordDiscCopy(setID: String, copy: String, state: String, detail: String, actor: String) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO disc_copy_event (set_id, copy, state, detail, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [setID, copy, state, detail, actor, Date().timeIntervalSince1970])
            try AuditLog.append(db, actor: actor, action: "disc.\(state)", object: "disc:\(setID)-\(copy)", detail: ["detail": detail],
                                rows: [BoundRow(.discCopyEvent, db.lastInsertedRowID)])
        }
    }

    public func discSets() throws -> [DiscSetRecord] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM disc_set ORDER BY id").compactMap { try Self.discSet(id: $0, db: db) } }
    }

    public func discSet(id: String) throws -> DiscSetRecord? {
        try pool.read { db in try Self.discSet(id: id, db: db) }
    }

    static func discSet(id: String, db: Database) throws -> DiscSetRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM disc_set WHERE id = ?", arguments: [id]) else { return nil }
        let items = try Row.fetchAll(db, sql: """
            SELECT i.clip_sha256, i.disc_path, c.size_bytes FROM disc_set_item i JOIN clip c ON c.sha256 = i.clip_sha256
            WHERE i.set_id = ? ORDER BY i.disc_path
            """, arguments: [id]).map { DiscSetRecord.Item(sha256: $0["clip_sha256"], discPath: $0["disc_path"], sizeBytes: $0["size_bytes"]) }
        let events = try Row.fetchAll(db, sql: "SELECT * FROM disc_copy_event WHERE set_id = ? ORDER BY id", arguments: [id]).map {
            DiscSetRecord.CopyEvent(copy: $0["copy"], state: $0["state"], detail: $0["detail"], recordedBy: $0["recorded_by"],
                                    recordedAt: Date(timeIntervalSince1970: $0["recorded_at"]))
        }
        return DiscSetRecord(id: id, media: row["media"], usedBytes: row["used_bytes"], fillRatio: row["fill_ratio"], note: row["note"],
                             plannedBy: row["planned_by"], plannedAt: Date(timeIntervalSince1970: row["planned_at"]),
                             items: items, events: events)
    }

    /// Copies left `burning` by a daemon that stopped mid-burn: never done, marked failed so they
    /// are burned again (retention issue: a crash mid-burn never marks a copy done).
    public func failInterruptedBurns() throws -> [String] {
        let stuck = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.set_id, e.copy FROM disc_copy_event e
                WHERE e.id = (SELECT max(id) FROM disc_copy_event WHERE set_id = e.set_id AND copy = e.copy)
                  AND e.state IN ('burning', 'burned')
                """).map { ($0["set_id"] as String, $0["copy"] as String) }
        }
        for (set, copy) in stuck {
            try recordDiscCopy(setID: set, copy: copy, state: "failed", detail: "interrupted by a daemon restart; burn this copy again",
                               actor: "custodyd")
        }
        return stuck.map { "\($0.0)-\($0.1)" }
    }
}
