import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// Checks a device out to an officer. Refused (and the caller audits the refusal) when the
    /// officer or device is unknown or inactive, or when it would overlap another handover.
    @discardableResult
    public func checkout(serial: String, badge: String, at: Date, offsite: Bool, note: String, actor: String,
                         policy: MatchPolicy) throws -> Handover {
        try pool.write { db in
            let handover = try Self.insertCheckout(serial: serial, badge: badge, out: at, in: nil, offsite: offsite,
                                                   note: note, actor: actor, zone: policy.calendar.timeZone, db: db)
            try Self.rematch(serial: serial, actor: actor, policy: policy, now: Date(), db: db)
            return handover
        }
    }

    /// - Parameter zone: the station's, for the times in refusals (item 8: every time a clerk reads is station time).
    static func insertCheckout(serial: String, badge: String, out: Date, in checkedIn: Date?, offsite: Bool, note: String,
                               actor: String, zone: TimeZone = .current, db: Database) throws -> Handover {
        func local(_ date: Date) -> String { StationTime.format(date, timeZone: zone) }
        guard let officer = try officer(badge: badge, db: db) else { throw LedgerError.unknownOfficer(badge) }
        guard officer.active else {
            throw LedgerError("inactive-officer", "officer \(badge) (\(officer.name)) is deactivated; a device cannot be checked out to them",
                              zh: "警员 \(badge)（\(officer.name)）已停用，不能领用设备")
        }
        guard let device = try device(serial: serial, db: db), !device.placeholder else { throw LedgerError.unknownDevice(serial) }
        guard device.status == .inService else {
            throw LedgerError("device-not-in-service", "device \(serial) is \(device.status.rawValue); only an in-service device can be checked out",
                              zh: "设备 \(serial) 状态为 \(device.status.rawValue)，只有在用设备可以领用")
        }
        if let checkedIn, checkedIn <= out {
            throw LedgerError("bad-times", "check-in \(local(checkedIn)) is not after check-out \(local(out))",
                              zh: "归还时间 \(local(checkedIn)) 不晚于领用时间 \(local(out))")
        }
        let candidate = Handover(id: 0, serial: serial, badge: badge, checkedOutAt: out, checkedInAt: checkedIn,
                                 offsite: offsite, note: note)
        if let clash = try handovers(serial: serial, db: db).first(where: { $0.overlaps(candidate) }) {
            let until = clash.checkedInAt.map(local) ?? "now (still checked out)"
            throw LedgerError("overlapping-handover",
                              "device \(serial) was with officer \(clash.badge) from \(local(clash.checkedOutAt)) to \(until) (handover \(clash.number)); a device cannot be with two officers at once — check it in first or correct that handover",
                              zh: "设备 \(serial) 在此期间已由警员 \(clash.badge) 领用（第 \(clash.number) 号交接），同一设备不能同时交给两人；请先归还或更正该交接")
        }
        try db.execute(sql: """
            INSERT INTO handover (serial, badge, checked_out_at, checked_in_at, offsite, note, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [serial, badge, out.timeIntervalSince1970, checkedIn?.timeIntervalSince1970, offsite, note,
                             actor, Date().timeIntervalSince1970])
        var saved = candidate
        saved.id = db.lastInsertedRowID
        saved.recordedBy = actor
        try AuditLog.append(db, actor: actor, action: "handover.checkout", object: "device:\(serial)",
                            detail: ["handover": String(saved.id), "officer": badge, "at": "\(out)",
                                     "checkedIn": checkedIn.map { "\($0)" } ?? "", "offsite": String(offsite)],
                            rows: [BoundRow(.handover, saved.id)])
        return saved
    }

    /// Checks in the device's open handover: a new row that supersedes it, audited.
    @discardableResult
    public func checkin(serial: String, at: Date, actor: String, policy: MatchPolicy) throws -> Handover {
        try pool.write { db in
            guard let open = try Self.handovers(serial: serial, db: db).first(where: { $0.checkedInAt == nil }) else {
                throw LedgerError("not-checked-out", "device \(serial) is not checked out to anyone", zh: "设备 \(serial) 未被任何人领用")
            }
            guard at > open.checkedOutAt else {
                let zone = policy.calendar.timeZone
                throw LedgerError("bad-times", "check-in \(StationTime.format(at, timeZone: zone)) is not after the check-out \(StationTime.format(open.checkedOutAt, timeZone: zone)) of handover \(open.number)",
                                  zh: "归还时间 \(StationTime.format(at, timeZone: zone)) 早于第 \(open.number) 号交接的领用时间 \(StationTime.format(open.checkedOutAt, timeZone: zone))")
            }
            try db.execute(sql: """
                INSERT INTO handover (serial, badge, checked_out_at, checked_in_at, offsite, note, supersedes, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [serial, open.badge, open.checkedOutAt.timeIntervalSince1970, at.timeIntervalSince1970,
                                 open.offsite, open.note, open.id, actor, Date().timeIntervalSince1970])
            var closed = open
            closed.id = db.lastInsertedRowID
            closed.originID = open.number
            closed.checkedInAt = at
            closed.recordedBy = actor
            try AuditLog.append(db, actor: actor, action: "handover.checkin", object: "device:\(serial)",
                                detail: ["handover": String(closed.id), "supersedes": String(open.id),
                                         "officer": open.badge, "at": "\(at)"],
                                rows: [BoundRow(.handover, closed.id)])
            try Self.rematch(serial: serial, actor: actor, policy: policy, now: Date(), db: db)
            return closed
        }
    }

    /// Current handovers (superseded rows left out), of one device or all, in time order.
    public func handovers(serial: String? = nil) throws -> [Handover] {
        try pool.read { db in
            if let serial { return try Self.handovers(serial: serial, db: db) }
            return try Row.fetchAll(db, sql: "SELECT * FROM current_handover ORDER BY serial, checked_out_at").map(Self.handover(from:))
        }
    }

    static func handovers(serial: String, db: Database) throws -> [Handover] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM current_handover WHERE serial = ? ORDER BY checked_out_at"), arguments: [serial])
            .map(handover(from:))
    }

    static func handover(from row: Row) -> Handover {
        var handover = Handover(id: row["id"], serial: row["serial"], badge: row["badge"],
                                checkedOutAt: Date(timeIntervalSince1970: row["checked_out_at"]),
                                checkedInAt: (row["checked_in_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                offsite: row["offsite"], note: row["note"], recordedBy: row["recorded_by"],
                                recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
        let origin: Int64? = row["origin_id"]
        handover.originID = origin == handover.id ? nil : origin
        return handover
    }

    /// Records an interruption note (中止记录), audited.
    @discardableResult
    public func addInterruption(_ note: Interruption, actor: String) throws -> Interruption {
        try pool.write { db in
            if let id = note.handoverID, try Row.fetchOne(db, sql: "SELECT 1 FROM handover WHERE id = ?", arguments: [id]) == nil {
                throw LedgerError("unknown-handover", "handover \(id) does not exist (custodyctl devices show SERIAL lists them)",
                                  zh: "没有第 \(id) 号交接记录（custodyctl devices show 产品序号 可查看）")
            }
            if let sha = note.clipSHA256, try Row.fetchOne(db, sql: "SELECT 1 FROM clip WHERE sha256 = ?", arguments: [sha]) == nil {
                throw LedgerError("unknown-clip", "clip \(sha) does not exist", zh: "没有该录像")
            }
            guard note.handoverID != nil || note.clipSHA256 != nil else {
                throw LedgerError("no-subject", "an interruption note belongs to a handover or a clip; give --handover or --clip",
                                  zh: "中止记录须属于某次交接或某条录像，请给出 --handover 或 --clip")
            }
            let now = Date()
            try db.execute(sql: """
                INSERT INTO interruption (handover_id, clip_sha256, reason, note, reviewed_by, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [note.handoverID, note.clipSHA256, note.reason.rawValue, note.note, note.reviewedBy,
                                 actor, now.timeIntervalSince1970])
            var saved = note
            saved.id = db.lastInsertedRowID
            saved.recordedBy = actor
            saved.recordedAt = now
            try AuditLog.append(db, actor: actor, action: "interruption.add", object: note.clipSHA256.map { "clip:\($0)" } ?? "handover:\(note.handoverID ?? 0)",
                                detail: ["reason": note.reason.rawValue, "note": note.note, "reviewedBy": note.reviewedBy,
                                         "reviewerAssertedBy": actor],
                                rows: [BoundRow(.interruption, saved.id)])
            return saved
        }
    }

    public func interruptions() throws -> [Interruption] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM interruption ORDER BY id").map { row in
                Interruption(id: row["id"], handoverID: row["handover_id"], clipSHA256: row["clip_sha256"],
                             reason: Interruption.Reason(rawValue: row["reason"]) ?? .other, note: row["note"],
                             reviewedBy: row["reviewed_by"], recordedBy: row["recorded_by"],
                             recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
            }
        }
    }
}
