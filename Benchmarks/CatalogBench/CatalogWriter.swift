import CustodyCatalog
import Foundation
import GRDB

/// One audit row before it is chained: what happened, when, to what.
struct AuditEvent {
    var at: Double
    var actor: String
    var action: String
    var object: String
    var detail: [(String, String)]
    /// Bound rows the event wrote (table, primary key), carried in its detail as the catalog's
    /// writers carry them, so `audit verify` replays the generated chain into the generated tables.
    var rows: [(table: String, key: [DatabaseValue])] = []
}

/// Writes a generated year into a catalog that `Catalog(path:)` created and migrated, in one
/// transaction with the journal off (the file is new; nothing is lost if this fails halfway, the
/// bench starts over). Rows follow the real schema column by column; the audit rows are chained
/// from the catalog's head with the catalog's own link function.
struct CatalogWriter {
    let path: String

    func write(shifts: [PlannedShift], clips: [PlannedClip], cases: [PlannedCase], confidential: [(sha256: String, flag: String, at: Double)],
               now: Double) throws -> Int {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -1048576")
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
        }
        let queue = try DatabaseQueue(path: path, configuration: config)
        var events: [AuditEvent] = []
        events.reserveCapacity(clips.count * 3 / 2)
        try queue.inTransaction { db in
            try insertShifts(shifts, db: db, events: &events)
            try insertDumps(shifts, clips: clips, db: db, events: &events)
            try insertClips(clips, db: db, events: &events)
            try insertCases(cases, confidential: confidential, db: db, events: &events)
            events.append(AuditEvent(at: now, actor: "catalog-bench", action: "bench.generated", object: "catalog",
                                     detail: [("clips", String(clips.count)), ("note", "generated in bulk by Benchmarks/CatalogBench")]))
            try chain(events, db: db)
            return .commit
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        return events.count
    }

    func insertShifts(_ shifts: [PlannedShift], db: Database, events: inout [AuditEvent]) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO handover (id, serial, badge, checked_out_at, checked_in_at, offsite, note, supersedes, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, '', ?, 'clerk', ?)
            """)
        for s in shifts {
            let out = s.out.timeIntervalSince1970
            try insert.execute(arguments: [s.checkoutID, s.serial, s.badge, out, nil, s.offsite, nil, out])
            events.append(AuditEvent(at: out, actor: "clerk", action: "handover.checkout", object: "device:\(s.serial)",
                                     detail: [("handover", String(s.checkoutID)), ("officer", s.badge), ("at", "\(s.out)"),
                                              ("checkedIn", ""), ("offsite", String(s.offsite))],
                                     rows: [("handover", [s.checkoutID.databaseValue])]))
            guard let id = s.checkinID, let back = s.checkedIn else { continue }
            try insert.execute(arguments: [id, s.serial, s.badge, out, back.timeIntervalSince1970, s.offsite, s.checkoutID,
                                           back.timeIntervalSince1970])
            events.append(AuditEvent(at: back.timeIntervalSince1970, actor: "clerk", action: "handover.checkin", object: "device:\(s.serial)",
                                     detail: [("handover", String(id)), ("supersedes", String(s.checkoutID)), ("officer", s.badge),
                                              ("at", "\(back)")],
                                     rows: [("handover", [id.databaseValue])]))
        }
    }

    func insertDumps(_ shifts: [PlannedShift], clips: [PlannedClip], db: Database, events: inout [AuditEvent]) throws {
        var files: [Int64: (n: Int, bytes: Int, last: Double, newest: Double)] = [:]
        for c in clips {
            var f = files[c.dumpID, default: (0, 0, 0, 0)]
            f.n += 1; f.bytes += c.content.count; f.last = max(f.last, c.ingestedAt); f.newest = max(f.newest, c.recordedAt ?? 0)
            files[c.dumpID] = f
        }
        let insert = try db.makeStatement(sql: """
            INSERT INTO dump (id, source_kind, mount_point, mount_source, fs_type, mount_key, mount_id, device_serial, officer_badge,
                              state, started_at, finished_at, files_total, bytes_total, files_done, bytes_done, errors,
                              newest_claimed_at, clock_offset_seconds)
            VALUES (?, 'mount', ?, ?, 'vfat', ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?, ?, 0, ?, ?)
            """)
        for s in shifts.sorted(by: { ($0.dumpID ?? 0) < ($1.dumpID ?? 0) }) {
            guard let id = s.dumpID, let docked = s.dockedAt?.timeIntervalSince1970 else { continue }
            let f = files[id, default: (0, 0, docked, 0)]
            let dock = Int(id % 16)
            let mountPoint = "/run/custody/media/dock\(dock)"
            let source = "/dev/sd\(Character(UnicodeScalar(UInt8(98 + dock))))1"
            try insert.execute(arguments: [id, mountPoint, source, "vfat:\(s.serial)", Int(id % 400) + 100, s.serial, s.claimedBadge,
                                           docked, f.last + 1, f.n, f.bytes, f.n, f.bytes, f.newest == 0 ? nil : f.newest, s.clockOffset])
            events.append(AuditEvent(at: docked, actor: "custodyd", action: "dump.start", object: "dump:\(id)",
                                     detail: [("fsType", "vfat"), ("mountPoint", mountPoint), ("source", source)]))
            events.append(AuditEvent(at: f.last + 1, actor: "custodyd", action: "dump.complete", object: "dump:\(id)", detail: []))
        }
    }

    func insertClips(_ clips: [PlannedClip], db: Database, events: inout [AuditEvent]) throws {
        let clip = try db.makeStatement(sql: """
            INSERT INTO clip (sha256, size_bytes, media_kind, format, recorded_at, duration_seconds, time_source, device_serial,
                              officer_badge, ingested_at, due_at, late, flags, first_source_path, claimed_badge, clock_offset_seconds,
                              handover_id, corrected_recorded_at, late_seconds, deadline_rule, annotation_due_at, annotated_at,
                              case_number, retention_class, retain_until)
            VALUES (?, ?, 'video', 'mp4', ?, ?, 'container', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let provenance = try db.makeStatement(sql: """
            INSERT INTO provenance (clip_sha256, dump_id, source_path_raw, source_path, source_size, source_mtime, parsed_grammar, copied_at)
            VALUES (?, ?, ?, ?, ?, ?, 'badge-serial-time', ?)
            """)
        let annotation = try db.makeStatement(sql: """
            INSERT INTO annotation (clip_sha256, case_number, category, place, party, description, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, '', ?, 'clerk', ?)
            """)
        let mark = try db.makeStatement(sql: """
            INSERT INTO long_term_mark (clip_sha256, reason, note, marked_by, marked_at) VALUES (?, 'evidence', '', 'clerk', ?)
            """)
        let categories = ["治安案件", "交通违法", "刑事案件", "纠纷调解", "群众求助", "日常巡逻"]
        let places = ["人民路", "解放大道", "火车站广场", "中山公园", "滨江路", "城南市场"]
        for c in clips {
            let flags = "[" + c.flags.map { "\"\($0)\"" }.joined(separator: ",") + "]"
            try clip.execute(arguments: [c.sha256, c.content.count, c.recordedAt, c.duration, c.serial, c.officerBadge, c.ingestedAt,
                                         c.dueAt, c.late, flags, c.path, c.claimedBadge, c.clockOffset, c.handoverID, c.corrected,
                                         c.lateSeconds, c.deadlineRule, c.annotationDueAt, c.annotatedAt, c.caseNumber,
                                         c.retentionClass, c.retainUntil])
            try provenance.execute(arguments: [c.sha256, c.dumpID, Data(c.path.utf8), c.path, c.content.count,
                                               (c.recordedAt ?? c.ingestedAt) + c.duration, c.ingestedAt])
            events.append(AuditEvent(at: c.ingestedAt, actor: "custodyd", action: "clip.ingest", object: "clip:\(c.sha256)",
                                     detail: [("dump", String(c.dumpID)), ("path", c.path), ("size", String(c.content.count))],
                                     rows: [("clip", [c.sha256.databaseValue]), ("provenance", [db.lastInsertedRowID.databaseValue])]))
            if let at = c.annotatedAt {
                let n = c.sha256.utf8.first.map(Int.init) ?? 0
                let category = categories[n % categories.count], place = places[n % places.count]
                try annotation.execute(arguments: [c.sha256, c.caseNumber, category, place, "现场处置", at])
                events.append(AuditEvent(at: at, actor: "clerk", action: "clip.annotate", object: "clip:\(c.sha256)",
                                         detail: [("case", c.caseNumber ?? ""), ("category", category), ("description", "现场处置"),
                                                  ("party", ""), ("place", place)],
                                         rows: [("annotation", [db.lastInsertedRowID.databaseValue]), ("clip", [c.sha256.databaseValue])]))
            }
            if c.longTerm {
                let at = c.ingestedAt + 3600
                try mark.execute(arguments: [c.sha256, at])
                events.append(AuditEvent(at: at, actor: "clerk", action: "clip.long-term", object: "clip:\(c.sha256)",
                                         detail: [("note", ""), ("reason", "evidence")],
                                         rows: [("long_term_mark", [db.lastInsertedRowID.databaseValue])]))
            }
        }
    }

    func insertCases(_ cases: [PlannedCase], confidential: [(sha256: String, flag: String, at: Double)], db: Database,
                     events: inout [AuditEvent]) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO legal_case (number, title, unit, handler_badge, opened_at, recorded_by) VALUES (?, ?, ?, ?, ?, 'clerk')
            """)
        let event = try db.makeStatement(sql: """
            INSERT INTO case_event (case_number, kind, at, note, recorded_by, recorded_at) VALUES (?, ?, ?, '', 'clerk', ?)
            """)
        let flag = try db.makeStatement(sql: """
            INSERT INTO confidentiality_event (target, flag, action, recorded_by, recorded_at) VALUES (?, ?, 'add', 'approver', ?)
            """)
        for c in cases {
            try insert.execute(arguments: [c.number, c.title, c.unit, c.handler, c.openedAt])
            events.append(AuditEvent(at: c.openedAt, actor: "clerk", action: "case.add", object: "case:\(c.number)",
                                     detail: [("handler", c.handler), ("title", c.title), ("unit", c.unit)],
                                     rows: [("legal_case", [c.number.databaseValue])]))
            for (kind, action, at) in [("closed", "case.close", c.closedAt), ("archived", "case.archive", c.archivedAt)] {
                guard let at else { continue }
                try event.execute(arguments: [c.number, kind, at, at])
                events.append(AuditEvent(at: at, actor: "clerk", action: action, object: "case:\(c.number)",
                                         detail: [("at", String(Int64(at))), ("note", "")],
                                         rows: [("case_event", [db.lastInsertedRowID.databaseValue])]))
            }
            if c.privacy {
                try flag.execute(arguments: ["case:\(c.number)", "privacy", c.openedAt + 3600])
                events.append(AuditEvent(at: c.openedAt + 3600, actor: "approver", action: "confidential.add", object: "case:\(c.number)",
                                         detail: [("flag", "privacy")],
                                         rows: [("confidentiality_event", [db.lastInsertedRowID.databaseValue])]))
            }
        }
        for (sha256, name, at) in confidential {
            try flag.execute(arguments: ["clip:\(sha256)", name, at])
            events.append(AuditEvent(at: at, actor: "approver", action: "confidential.add", object: "clip:\(sha256)", detail: [("flag", name)],
                                     rows: [("confidentiality_event", [db.lastInsertedRowID.databaseValue])]))
        }
    }

    /// Appends the events in time order after the catalog's current head, each linked to the one before.
    func chain(_ events: [AuditEvent], db: Database) throws {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        var seq: Int64 = head?["seq"] ?? 0
        var prev: String = head?["hash"] ?? String(repeating: "0", count: 64)
        let insert = try db.makeStatement(sql: """
            INSERT INTO audit (seq, at_ms, actor, action, object, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let order = events.indices.sorted { (events[$0].at, $0) < (events[$1].at, $1) }
        for index in order {
            let e = events[index]
            seq += 1
            let atMs = Int64((e.at * 1000).rounded())
            let detail = try BulkChain.detail(db, fields: Self.json(e.detail), rows: e.rows)
            let hash = AuditEntry.chainHash(prev: prev, seq: seq, atMs: atMs, actor: e.actor, action: e.action, object: e.object, detail: detail)
            try insert.execute(arguments: [seq, atMs, e.actor, e.action, e.object, detail, prev, hash])
            prev = hash
        }
    }

    /// `{"key":"value",…}` with sorted keys, as the catalog writes audit details.
    static func json(_ pairs: [(String, String)]) -> String {
        func quoted(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        return "{" + pairs.sorted { $0.0 < $1.0 }.map { quoted($0.0) + ":" + quoted($0.1) }.joined(separator: ",") + "}"
    }
}
