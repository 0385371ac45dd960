import CustodyCore
import Foundation
import GRDB

/// Whether cataloging a file created a clip or added a provenance to a known one.
public enum CatalogOutcome: Sendable, Equatable {
    case newClip
    case knownClip
    case alreadyRecorded
    /// The bytes of a disposed clip: refused, not stored again, reported on the dump.
    case disposedClip
}

extension Catalog {
    /// Catalogs one verified file in one transaction: the clip row (if its content is new),
    /// the provenance row and the audit row (DESIGN.md data flow step 4).
    /// Same bytes twice is one clip with two provenance rows.
    @discardableResult
    public func record(_ file: IngestedFile, policy: MatchPolicy = MatchPolicy(), at: Date = Date()) throws -> CatalogOutcome {
        try pool.write { db in try Self.record(file, policy: policy, at: at, db: db) }
    }

    /// Catalogs several verified files in one transaction (one fsync for the lot): each file
    /// still gets its own clip, provenance and audit rows, and none is acknowledged before all are durable.
    @discardableResult
    public func record(_ files: [IngestedFile], policy: MatchPolicy = MatchPolicy(), at: Date = Date()) throws -> [CatalogOutcome] {
        try pool.write { db in try files.map { try Self.record($0, policy: policy, at: at, db: db) } }
    }

    static func record(_ file: IngestedFile, policy: MatchPolicy, at: Date, db: Database) throws -> CatalogOutcome {
        let raw = Data(file.sourcePath.bytes)
        // Cached statements on this path: compiling (GRDB's authorizer) cost more than running them.
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM provenance WHERE dump_id = ? AND source_path_raw = ? AND clip_sha256 = ?"),
                             arguments: [file.dumpID, raw, file.clip.sha256]) == true {
            return .alreadyRecorded
        }
        if let refused = try Self.refuseDisposed(file, at: at, db: db) { return refused }
        var clip = file.clip
        try Self.applyMatch(&clip, policy: policy, now: at, db: db)
        let existingFlags = try String.fetchOne(db.cachedStatement(sql: "SELECT flags FROM clip WHERE sha256 = ?"), arguments: [clip.sha256])
        let known = existingFlags != nil
        if !known {
            try Self.insert(clip, db: db)
            try Self.recomputeRetention([clip.sha256], policy: policy, actor: "custodyd", audit: false, db: db)
        } else if let existingFlags, JSONText.decodeStrings(existingFlags).contains(ClipFlag.adoptedFromStore.rawValue) {
            // A row adopted after a crash knew only the bytes; the resumed copy supplies the rest.
            try Self.completeAdopted(clip, db: db)
        }
        try db.cachedStatement(sql: """
            INSERT INTO provenance (clip_sha256, dump_id, source_path_raw, source_path, source_size,
                                    source_mtime, parsed_grammar, copied_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [clip.sha256, file.dumpID, raw, file.sourcePath.display, Int64(file.sourceSize),
                             file.sourceMtime?.timeIntervalSince1970, file.grammar, at.timeIntervalSince1970])
        let provenance = BoundRow(.provenance, db.lastInsertedRowID)
        var detail = ["dump": String(file.dumpID), "path": file.sourcePath.display, "size": String(clip.sizeBytes)]
        // The custody report says how the read-back was checked; no key is the SHA-256 read-back.
        if file.readBack == .xxh3 { detail["readBack"] = ReadBackCheck.xxh3.rawValue }
        try AuditLog.append(db, actor: "custodyd", action: known ? "clip.seen-again" : "clip.ingest",
                            object: "clip:\(clip.sha256)",
                            detail: detail,
                            rows: known ? [provenance] : [.clip(clip.sha256), provenance])
        return known ? .knownClip : .newClip
    }

    /// Adopts a verified store file that has no row (a crash between rename and commit), audited.
    public func adopt(_ clip: Clip, reason: String = "stored file had no catalog row after a restart") throws {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clip WHERE sha256 = ?", arguments: [clip.sha256]) != true
            else { return }
            try Self.insert(clip, db: db)
            try AuditLog.append(db, actor: "custodyd", action: "clip.adopt", object: "clip:\(clip.sha256)",
                                detail: ["reason": reason, "size": String(clip.sizeBytes)],
                                rows: [.clip(clip.sha256)])
        }
    }

    /// Clips in the catalog, disposed ones included (their rows stay); kept by triggers in
    /// `clip_total`, so `status` does not count a million rows.
    public func clipCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT clips FROM clip_total WHERE id = 1") ?? 0 }
    }

    /// Clips ingested after their upload deadline (kept by triggers, like `clipCount`).
    public func lateClipCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT late FROM clip_total WHERE id = 1") ?? 0 }
    }

    public func clipHashes() throws -> Set<String> {
        try pool.read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM clip")) }
    }

    /// Clips in ingest order; every clip unless `limit` is given.
    public func clips(limit: Int? = nil, offset: Int = 0) throws -> [Clip] {
        try clips(ClipFilter(limit: limit, offset: offset))
    }

    /// One clip by full hash or unique prefix (at least 8 hex digits).
    public func clip(matching prefix: String) throws -> Clip? {
        guard prefix.count >= 8, prefix.allSatisfy(\.isHexDigit) else { return nil }
        let low = prefix.lowercased()
        return try pool.read { db in
            let rows = try Row.fetchAll(db, sql: Self.clipByPrefixSQL, arguments: [low, low + "g"])
            return rows.count == 1 ? Self.clip(from: rows[0]) : nil
        }
    }

    /// A range of the primary key, not LIKE (which SQLite cannot serve from a case-sensitive
    /// index): every hash that starts with a prefix sorts in [prefix, prefix + "g"), hex digits
    /// being below "g".
    static let clipByPrefixSQL = "SELECT * FROM clip WHERE sha256 >= ? AND sha256 < ? LIMIT 2"

    public func provenance(sha256: String) throws -> [Provenance] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.*, d.mount_point FROM provenance p JOIN dump d ON d.id = p.dump_id
                WHERE p.clip_sha256 = ? ORDER BY p.id
                """, arguments: [sha256]).map { row in
                    let raw = RawPath(Array(row["source_path_raw"] as Data))
                    return Provenance(dumpID: row["dump_id"], sourcePath: row["source_path"],
                                      sourcePathHex: raw.isValidUTF8 ? nil : raw.bytes.map { String(format: "%02x", $0) }.joined(),
                                      sourceSize: UInt64(row["source_size"] as Int64),
                                      copiedAt: Date(timeIntervalSince1970: row["copied_at"]),
                                      mountPoint: row["mount_point"])
                }
        }
    }

    static func insert(_ clip: Clip, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO clip (sha256, size_bytes, media_kind, format, recorded_at, duration_seconds, time_source,
                              device_serial, officer_badge, ingested_at, due_at, late, flags, first_source_path,
                              claimed_badge, clock_offset_seconds, handover_id, corrected_recorded_at,
                              late_seconds, deadline_rule, annotation_due_at, time_reason, container_recorded_at,
                              name_recorded_at, claimed_serial)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [clip.sha256, Int64(clip.sizeBytes), clip.mediaKind, clip.format,
                             clip.recordedAt?.timeIntervalSince1970, clip.durationSeconds, clip.timeSource,
                             clip.deviceSerial, clip.officerBadge, clip.ingestedAt.timeIntervalSince1970,
                             clip.dueAt?.timeIntervalSince1970, clip.late, JSONText.encode(clip.flags),
                             clip.sourcePath, clip.claimedBadge, clip.clockOffsetSeconds, clip.handoverID,
                             clip.correctedRecordedAt?.timeIntervalSince1970, clip.lateSeconds, clip.deadlineRule,
                             clip.annotationDueAt?.timeIntervalSince1970, clip.timeReason,
                             clip.containerRecordedAt?.timeIntervalSince1970, clip.nameRecordedAt?.timeIntervalSince1970,
                             clip.claimedSerial])
    }

    static func completeAdopted(_ clip: Clip, db: Database) throws {
        let flags = clip.flags + [ClipFlag.adoptedFromStore.rawValue]
        try db.execute(sql: """
            UPDATE clip SET media_kind = ?, format = ?, recorded_at = ?, duration_seconds = ?, time_source = ?,
                            device_serial = ?, officer_badge = ?, due_at = ?, late = ?, flags = ?, first_source_path = ?,
                            claimed_badge = ?, clock_offset_seconds = ?, handover_id = ?, corrected_recorded_at = ?,
                            late_seconds = ?, deadline_rule = ?, annotation_due_at = ?, time_reason = ?,
                            container_recorded_at = ?, name_recorded_at = ?, claimed_serial = ?
            WHERE sha256 = ?
            """, arguments: [clip.mediaKind, clip.format, clip.recordedAt?.timeIntervalSince1970, clip.durationSeconds,
                             clip.timeSource, clip.deviceSerial, clip.officerBadge, clip.dueAt?.timeIntervalSince1970,
                             clip.late, JSONText.encode(flags), clip.sourcePath, clip.claimedBadge,
                             clip.clockOffsetSeconds, clip.handoverID, clip.correctedRecordedAt?.timeIntervalSince1970,
                             clip.lateSeconds, clip.deadlineRule, clip.annotationDueAt?.timeIntervalSince1970, clip.timeReason,
                             clip.containerRecordedAt?.timeIntervalSince1970, clip.nameRecordedAt?.timeIntervalSince1970,
                             clip.claimedSerial, clip.sha256])
        try AuditLog.append(db, actor: "custodyd", action: "clip.complete-adopted", object: "clip:\(clip.sha256)",
                            detail: ["path": clip.sourcePath], rows: [.clip(clip.sha256)])
    }

    static func clip(from row: Row) -> Clip {
        var clip = Clip(sha256: row["sha256"], sizeBytes: UInt64(row["size_bytes"] as Int64), mediaKind: row["media_kind"],
             format: row["format"], recordedAt: (row["recorded_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
             durationSeconds: row["duration_seconds"], timeSource: row["time_source"],
             deviceSerial: row["device_serial"], officerBadge: row["officer_badge"],
             ingestedAt: Date(timeIntervalSince1970: row["ingested_at"]),
             dueAt: (row["due_at"] as Double?).map(Date.init(timeIntervalSince1970:)), late: row["late"],
             flags: JSONText.decodeStrings(row["flags"]), sourcePath: row["first_source_path"])
        clip.claimedBadge = row["claimed_badge"]
        clip.clockOffsetSeconds = row["clock_offset_seconds"]
        clip.handoverID = row["handover_id"]
        clip.correctedRecordedAt = (row["corrected_recorded_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        clip.lateSeconds = row["late_seconds"] ?? 0
        clip.deadlineRule = row["deadline_rule"]
        clip.annotationDueAt = (row["annotation_due_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        clip.annotatedAt = (row["annotated_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        clip.caseNumber = row["case_number"]
        clip.timeReason = row["time_reason"]
        clip.containerRecordedAt = (row["container_recorded_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        clip.nameRecordedAt = (row["name_recorded_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        clip.claimedSerial = row["claimed_serial"] ?? clip.deviceSerial
        clip.clerkSerial = row["clerk_serial"]
        clip.clerkBadge = row["clerk_badge"]
        clip.clerkRecordedAt = (row["clerk_recorded_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        clip.disposedAt = (row["disposed_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        return clip
    }
}
