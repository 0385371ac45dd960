import CustodyCore
import Foundation
import GRDB

/// One entry of the access register (查阅登记簿): the request as registered, the decision, and
/// what was done with it.
public struct AccessRegisterEntry: Sendable, Equatable, Codable {
    public struct Use: Sendable, Equatable, Codable {
        public var what: String
        public var detail: String
        public var recordedBy: String
        public var recordedAt: Date
    }
    public var id: Int64
    public var request: AccessRequest
    /// The registering clerk, `Person.auditName` of the caller.
    public var registeredBy: String
    public var registeredUID: UInt32
    public var registeredAt: Date
    /// approved or denied; nil while waiting.
    public var decision: String?
    public var approverTitle: String?
    public var decidedBy: String?
    public var decidedUID: UInt32?
    public var decidedAt: Date?
    public var note: String?
    public var uses: [Use]
    /// Copies or exports the approver allowed (`nil` for approvals recorded before they were counted).
    public var copiesAllowedByApprover: Int?

    /// Copies or exports allowed: the approver's number, else the request's, else one.
    public var copiesAllowed: Int { copiesAllowedByApprover ?? request.copies ?? 1 }
    /// Copies and exports made under the request (looks are not copies).
    public var copiesMade: Int { uses.filter { $0.what == "export" || $0.what == "copy" }.count }
    /// Looks recorded under the request.
    public var looks: [Use] { uses.filter { $0.what == "view" } }

    /// The clerk who registered the request, as an identity.
    public var clerk: Person { Person(auditName: registeredBy) ?? Person(uid: registeredUID, name: "") }
    /// The approver (or the one who denied it), as an identity.
    public var decider: Person? {
        decidedBy.map { Person(auditName: $0) ?? Person(uid: decidedUID ?? .max, name: "") }
    }
}

extension Catalog {
    /// Registers a request that passed the document rules; audited.
    public func registerAccess(_ request: AccessRequest, clerk: Person) throws -> AccessRegisterEntry {
        let (actor, uid) = (clerk.auditName, clerk.uid)
        return try pool.write { db in
            let json = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
            try db.execute(sql: "INSERT INTO access_request (request, registered_by, registered_uid, registered_at) VALUES (?, ?, ?, ?)",
                           arguments: [json, actor, uid, Date().timeIntervalSince1970])
            let id = db.lastInsertedRowID
            try AuditLog.append(db, actor: actor, action: "access.request", object: "access:\(id)",
                                detail: ["requester": request.requester.name, "unit": request.requester.unit,
                                         "stationUser": request.requester.stationUser?.auditName ?? "",
                                         "kind": request.requester.kind.rawValue, "action": request.action.rawValue,
                                         "clips": request.clips.map(\.sha256).joined(separator: ","), "purpose": request.purpose],
                                rows: [BoundRow(.accessRequest, id)])
            return try Self.accessEntry(id: id, db: db)!
        }
    }

    /// Records the approver's decision after `check` (run inside the transaction with the stored
    /// request) returned no problems; a refusal by `check` is thrown to the caller.
    /// `copies` is the number of copies or exports the approver allows (nil: what the request
    /// asked for, else one); recorded with the approval.
    public func decideAccess(id: Int64, approve: Bool, title: String, note: String, copies: Int? = nil, by approver: Person,
                             check: (AccessRegisterEntry) throws -> Void) throws -> AccessRegisterEntry {
        let (actor, uid) = (approver.auditName, approver.uid)
        return try pool.write { db in
            guard let entry = try Self.accessEntry(id: id, db: db) else {
                throw LedgerError("unknown-request", "no access request \(id)", zh: "没有编号为 \(id) 的调阅申请")
            }
            guard entry.decision == nil else {
                throw LedgerError("decided", "request \(id) was already \(entry.decision!)", zh: "申请 \(id) 已处理")
            }
            if approve { try check(entry) }
            try db.execute(sql: """
                INSERT INTO access_decision (request_id, decision, title, decided_by, decided_uid, decided_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, approve ? "approved" : "denied", title, actor, uid, Date().timeIntervalSince1970, note])
            var detail = ["title": title, "note": note]
            var rows = [BoundRow(.accessDecision, id)]
            if approve {
                let allowed = copies ?? entry.request.copies ?? 1
                try db.execute(sql: "INSERT INTO access_allowance (request_id, copies, set_by, set_at) VALUES (?, ?, ?, ?)",
                               arguments: [id, allowed, actor, Date().timeIntervalSince1970])
                detail["copies"] = String(allowed)
                rows.append(BoundRow(.accessAllowance, id))
            }
            try AuditLog.append(db, actor: actor, action: approve ? "access.approve" : "access.deny", object: "access:\(id)",
                                detail: detail, rows: rows)
            return try Self.accessEntry(id: id, db: db)!
        }
    }

    /// Registers what was done under a request (an export, a working copy, a viewing); audited.
    /// Whether it may be done is decided before (`AccessPolicyRules.checkUse`); what was done is
    /// always registered, even past the allowance, so that no copy goes unrecorded.
    public func recordAccessUse(id: Int64, what: String, detail: String, actor: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO access_use (request_id, what, detail, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, what, detail, actor, Date().timeIntervalSince1970])
            try AuditLog.append(db, actor: actor, action: "access.\(what)", object: "access:\(id)", detail: ["detail": detail],
                                rows: [BoundRow(.accessUse, db.lastInsertedRowID)])
        }
    }

    public func accessEntries() throws -> [AccessRegisterEntry] {
        try pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM access_request ORDER BY id").compactMap { try Self.accessEntry(id: $0, db: db) } }
    }

    public func accessEntry(id: Int64) throws -> AccessRegisterEntry? {
        try pool.read { db in try Self.accessEntry(id: id, db: db) }
    }

    static func accessEntry(id: Int64, db: Database) throws -> AccessRegisterEntry? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT r.*, d.decision, d.title, d.decided_by, d.decided_uid, d.decided_at, d.note FROM access_request r
            LEFT JOIN access_decision d ON d.request_id = r.id WHERE r.id = ?
            """, arguments: [id]) else { return nil }
        var request = try JSONDecoder().decode(AccessRequest.self, from: Data((row["request"] as String).utf8))
        if request.requester.stationUser == nil, request.requester.unresolvedStationUser != nil,
           let resolved = try Row.fetchOne(db, sql: "SELECT uid, name FROM person_resolution WHERE target = ?", arguments: ["access:\(id):requester"]) {
            request.requester.stationUser = Person(uid: resolved["uid"], name: resolved["name"])
            request.requester.unresolvedStationUser = nil
        }
        let uses = try Row.fetchAll(db, sql: "SELECT * FROM access_use WHERE request_id = ? ORDER BY id", arguments: [id]).map {
            AccessRegisterEntry.Use(what: $0["what"], detail: $0["detail"], recordedBy: $0["recorded_by"],
                                    recordedAt: Date(timeIntervalSince1970: $0["recorded_at"]))
        }
        return AccessRegisterEntry(id: id, request: request, registeredBy: row["registered_by"], registeredUID: row["registered_uid"],
                                   registeredAt: Date(timeIntervalSince1970: row["registered_at"]), decision: row["decision"],
                                   approverTitle: row["title"], decidedBy: row["decided_by"], decidedUID: row["decided_uid"],
                                   decidedAt: (row["decided_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                   note: row["note"], uses: uses,
                                   copiesAllowedByApprover: try Int.fetchOne(db, sql: "SELECT copies FROM access_allowance WHERE request_id = ?", arguments: [id]))
    }

    /// Sets or clears a confidentiality flag on `clip:<sha>` or `case:<number>`; audited. A flag
    /// is never removed while a hold covers the clip or case (the caller has checked clearance).
    public func setConfidentiality(target: String, flag: Confidentiality, add: Bool, actor: String) throws {
        try pool.write { db in
            if !add {
                let clip = target.hasPrefix("clip:") ? String(target.dropFirst(5)) : nil
                let caseNumber = target.hasPrefix("case:") ? String(target.dropFirst(5))
                    : try String.fetchOne(db, sql: "SELECT case_number FROM clip WHERE sha256 = ?", arguments: [clip ?? ""])
                if let held = try Self.heldTarget(clip: clip, caseNumber: caseNumber, db: db) {
                    throw LedgerError("held", "\(held) is on hold; the \(flag.nameEn) flag of \(target) stays while the hold lasts",
                                      zh: "\(held) 处于冻结状态，冻结期间不得解除 \(target) 的\(flag.nameZh)密级")
                }
            }
            try db.execute(sql: "INSERT INTO confidentiality_event (target, flag, action, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [target, flag.rawValue, add ? "add" : "remove", actor, Date().timeIntervalSince1970])
            try AuditLog.append(db, actor: actor, action: add ? "confidential.add" : "confidential.remove", object: target,
                                detail: ["flag": flag.rawValue], rows: [BoundRow(.confidentialityEvent, db.lastInsertedRowID)])
        }
    }

    /// The confidentiality flags in force on one clip, its own and its case's.
    public func confidentiality(sha256: String) throws -> Set<Confidentiality> {
        try pool.read { db in
            let flags = try String.fetchAll(db, sql: """
                SELECT e.flag FROM confidentiality_event e
                WHERE e.target IN (?, (SELECT 'case:' || case_number FROM clip WHERE sha256 = ?)) AND e.action = 'add'
                  AND e.id = (SELECT max(id) FROM confidentiality_event WHERE target = e.target AND flag = e.flag)
                """, arguments: ["clip:\(sha256)", sha256])
            return Set(flags.compactMap(Confidentiality.init(rawValue:)))
        }
    }

    /// Every clip with a confidentiality flag (its own or its case's), with the flags.
    public func confidentialClips() throws -> [String: Set<Confidentiality>] {
        try confidentialTargets().clips
    }
}
