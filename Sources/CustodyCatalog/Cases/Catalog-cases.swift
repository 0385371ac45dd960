import CustodyCore
import Foundation
import GRDB

/// Cases (案件): opened once, then closed, archived or reopened through append-only events.
extension Catalog {
    public func addCase(_ legalCase: LegalCase, actor: String) throws -> LegalCase {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM legal_case WHERE number = ?", arguments: [legalCase.number]) == true {
                throw LedgerError("case-exists", "case \(legalCase.number) is already registered; `custodyctl cases show \(legalCase.number)`",
                                  zh: "案件 \(legalCase.number) 已登记")
            }
            if let handler = legalCase.handlerBadge, try Self.officer(badge: handler, db: db) == nil {
                throw LedgerError("unknown-handler", "case handler \(handler) is not in the ledger; add the officer first (custodyctl officers add)",
                                  zh: "办案人警号 \(handler) 不在台账中，请先登记该警员")
            }
            try db.execute(sql: """
                INSERT INTO legal_case (number, title, unit, handler_badge, opened_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [legalCase.number, legalCase.title, legalCase.unit, legalCase.handlerBadge,
                                 legalCase.openedAt.timeIntervalSince1970, actor])
            try AuditLog.append(db, actor: actor, action: "case.add", object: "case:\(legalCase.number)",
                                detail: ["title": legalCase.title, "unit": legalCase.unit, "handler": legalCase.handlerBadge ?? ""],
                                rows: [BoundRow(.legalCase, legalCase.number)])
            return try Self.legalCase(number: legalCase.number, db: db)!
        }
    }

    /// Closes, archives or reopens a case. Only the moves that make sense are taken: close an open
    /// case, archive a closed one, reopen a closed one; anything else is refused saying why.
    public func recordCaseEvent(number: String, kind: CaseEvent.Kind, at: Date, note: String, actor: String,
                                policy: MatchPolicy = MatchPolicy()) throws -> LegalCase {
        try pool.write { db in
            guard let current = try Self.legalCase(number: number, db: db) else {
                throw LedgerError("unknown-case", "case \(number) is not registered; add it first (custodyctl cases add)",
                                  zh: "案件 \(number) 未登记，请先登记（custodyctl cases add）")
            }
            let allowed: Bool
            switch kind {
            case .closed: allowed = current.state == .open
            case .archived, .reopened: allowed = current.state == .closed
            }
            guard allowed else {
                throw LedgerError("case-state", "case \(number) is \(current.state.rawValue); it cannot be \(kind.rawValue) now",
                                  zh: "案件 \(number) 当前状态为“\(Self.stateName(current.state))”，不能执行此操作")
            }
            try db.execute(sql: """
                INSERT INTO case_event (case_number, kind, at, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [number, kind.rawValue, at.timeIntervalSince1970, note, actor, Date().timeIntervalSince1970])
            let action = ["closed": "case.close", "archived": "case.archive", "reopened": "case.reopen"][kind.rawValue]!
            try AuditLog.append(db, actor: actor, action: action, object: "case:\(number)",
                                detail: ["at": String(Int64(at.timeIntervalSince1970)), "note": note],
                                rows: [BoundRow(.caseEvent, db.lastInsertedRowID)])
            let members = try String.fetchAll(db, sql: "SELECT sha256 FROM clip WHERE case_number = ?", arguments: [number])
            try Self.recomputeRetention(members, policy: policy, actor: actor, db: db)
            return try Self.legalCase(number: number, db: db)!
        }
    }

    public func cases() throws -> [LegalCase] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT number FROM legal_case ORDER BY opened_at, number").compactMap {
                try Self.legalCase(number: $0, db: db)
            }
        }
    }

    public func legalCase(number: String) throws -> LegalCase? {
        try pool.read { db in try Self.legalCase(number: number, db: db) }
    }

    public func caseEvents(number: String) throws -> [CaseEvent] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM case_event WHERE case_number = ? ORDER BY id", arguments: [number]).map {
                CaseEvent(kind: CaseEvent.Kind(rawValue: $0["kind"]) ?? .closed, at: Date(timeIntervalSince1970: $0["at"]),
                          note: $0["note"], recordedBy: $0["recorded_by"])
            }
        }
    }

    public func clips(caseNumber: String) throws -> [Clip] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM clip WHERE case_number = ? ORDER BY recorded_at, sha256",
                             arguments: [caseNumber]).map(Self.clip(from:))
        }
    }

    static func legalCase(number: String, db: Database) throws -> LegalCase? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM legal_case WHERE number = ?", arguments: [number]) else { return nil }
        var result = LegalCase(number: row["number"], title: row["title"], unit: row["unit"], handlerBadge: row["handler_badge"],
                               openedAt: Date(timeIntervalSince1970: row["opened_at"]))
        for event in try Row.fetchAll(db, sql: "SELECT kind, at FROM case_event WHERE case_number = ? ORDER BY id", arguments: [number]) {
            let at = Date(timeIntervalSince1970: event["at"])
            switch event["kind"] as String {
            case "closed": result.state = .closed; result.closedAt = at; result.archivedAt = nil
            case "archived": result.state = .archived; result.archivedAt = at
            default: result.state = .open; result.closedAt = nil; result.archivedAt = nil
            }
        }
        result.clipCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM clip WHERE case_number = ?", arguments: [number]) ?? 0
        return result
    }

    static func stateName(_ state: LegalCase.State) -> String {
        switch state {
        case .open: return "办理中"
        case .closed: return "已结案"
        case .archived: return "已归档"
        }
    }
}
