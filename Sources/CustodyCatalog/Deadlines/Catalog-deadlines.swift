import CustodyCore
import Foundation
import GRDB

/// The live deadline watch's questions to the catalog (deadlines issue, "Live watch"), and
/// approved exceptions to the upload window.
extension Catalog {
    /// Everything due soon or overdue at `now`: devices out or back without a dump, clips not
    /// annotated (one item per officer), closed cases not archived.
    public func deadlineItems(now: Date, policy: MatchPolicy, lookbackDays: Double = 30) throws -> [DeadlineItem] {
        let deadlines = policy.deadlines
        let horizon = now.addingTimeInterval(deadlines.dueSoonHours * 3600).timeIntervalSince1970
        let oldest = now.addingTimeInterval(-lookbackDays * 86_400)
        // Handovers settled (checked in, or out if still out) before this are due before `oldest`.
        let settledFrom = deadlines.earliestUploadStart(dueFrom: oldest, calendar: policy.calendar)
        return try pool.read { db in
            var items: [DeadlineItem] = []
            let handovers = try Row.fetchAll(db, sql: Self.overdueHandoversSQL, arguments: [settledFrom.timeIntervalSince1970])
            for row in handovers {
                let handover = Self.handover(from: row)
                var rules = deadlines
                if try Self.exceptionGranted(handoverID: handover.id, db: db), let maximum = deadlines.exceptionMaximum {
                    rules.upload = maximum
                }
                guard var item = DeadlineStatusRule.handoverItem(handover, officerName: row["officer_name"], now: now,
                                                                 policy: rules, calendar: policy.calendar),
                      item.dueAt >= oldest else { continue }
                if rules.upload != deadlines.upload { item.rule = "exception:" + item.rule }
                items.append(item)
            }
            let unannotated = try Row.fetchAll(db, sql: Self.unannotatedSQL, arguments: [horizon])
            for row in unannotated {
                let due = Date(timeIntervalSince1970: row["due"])
                let since = Date(timeIntervalSince1970: row["since"])
                guard let status = DeadlineStatusRule.status(dueAt: due, since: since, now: now, policy: deadlines) else { continue }
                let badge: String? = row["officer_badge"]
                let day = Int64(due.timeIntervalSince1970 / 86_400)
                items.append(DeadlineItem(kind: .annotation, key: "annotation:\(badge ?? "-"):\(day)", status: status,
                                          officerBadge: badge, officerName: row["officer_name"], since: since, dueAt: due,
                                          lateSeconds: max(0, now.timeIntervalSince(due)), count: row["n"],
                                          rule: "ingest+\(deadlines.annotation)"))
            }
            // Closed cases only: a case's state is its last event's.
            let closed = try String.fetchAll(db, sql: """
                SELECT c.number FROM legal_case c
                WHERE (SELECT kind FROM case_event e WHERE e.case_number = c.number ORDER BY e.id DESC LIMIT 1) = 'closed'
                """)
            for number in closed {
                guard let legalCase = try Self.legalCase(number: number, db: db), legalCase.state == .closed,
                      let closed = legalCase.closedAt else { continue }
                let due = deadlines.caseArchive.due(from: closed, calendar: policy.calendar)
                guard let status = DeadlineStatusRule.status(dueAt: due, since: closed, now: now, policy: deadlines) else { continue }
                items.append(DeadlineItem(kind: .caseArchive, key: "case-archive:\(number):\(Int64(closed.timeIntervalSince1970))",
                                          status: status, officerBadge: legalCase.handlerBadge, caseNumber: number,
                                          since: closed, dueAt: due, lateSeconds: max(0, now.timeIntervalSince(due)),
                                          count: legalCase.clipCount, rule: "closed+\(deadlines.caseArchive)"))
            }
            return items.sorted { ($0.dueAt, $0.key) < ($1.dueAt, $1.key) }
        }
    }

    /// Current handovers settled at or after the argument whose camera has had no dump and no
    /// clip ingested since it was checked out.
    static let overdueHandoversSQL = """
        SELECT h.*, o.name AS officer_name FROM current_handover h LEFT JOIN current_officer o ON o.badge = h.badge
        WHERE coalesce(h.checked_in_at, h.checked_out_at) >= ?
          AND NOT EXISTS (SELECT 1 FROM dump d WHERE d.device_serial = h.serial AND d.started_at >= h.checked_out_at)
          AND NOT EXISTS (SELECT 1 FROM clip c WHERE c.device_serial = h.serial AND c.ingested_at >= h.checked_out_at)
        ORDER BY h.checked_out_at
        """

    /// Unannotated clips due by the argument, counted per officer first and named after (the
    /// ledger view is read per officer, not per clip). A disposed clip awaits no annotation: it
    /// is left out (and out of the partial index `clip_unannotated`, v18).
    static let unannotatedSQL = """
        SELECT g.*, o.name AS officer_name FROM (
            SELECT c.officer_badge, count(*) AS n, min(c.annotation_due_at) AS due, min(c.ingested_at) AS since
            FROM clip c WHERE c.annotated_at IS NULL AND c.disposed_at IS NULL AND c.annotation_due_at <= ?
            GROUP BY c.officer_badge) g
        LEFT JOIN current_officer o ON o.badge = g.officer_badge
        ORDER BY g.due
        """

    /// Records an approved exception for a handover: its clips get the hard maximum window
    /// (e.g. 3 working days) instead of the normal one, and are judged again at once.
    /// Grants a handover a deadline exception. The approver must not be the person who asked for
    /// it (`requestedBy`, when someone did; `Person.distinct`).
    public func grantDeadlineException(handoverID: Int64, reason: String, requestedBy: Person?, by approver: Person,
                                       currentName: (UInt32) -> String?, policy: MatchPolicy) throws -> Handover {
        let actor = approver.auditName
        if let requester = requestedBy,
           let problem = Person.distinct(approver, from: requester, as: .exceptionRequester, currentName: currentName(requester.uid)) {
            throw LedgerError(problem.code, "handover \(handoverID): " + problem.message, zh: "交接 \(handoverID)：" + problem.messageZh)
        }
        return try pool.write { db in
            // The number clerks see is the one given at check-out (item 8); a check-in keeps it.
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM current_handover WHERE id = ? OR origin_id = ?", arguments: [handoverID, handoverID]) else {
                throw LedgerError("unknown-handover", "no current handover \(handoverID); `custodyctl handovers list` shows them",
                                  zh: "没有编号为 \(handoverID) 的有效交接记录")
            }
            guard policy.deadlines.exceptionMaximum != nil else {
                throw LedgerError("no-exceptions", "the deadline policy allows no exceptions ([deadlines] exception_max_working_days is unset)",
                                  zh: "当前期限规则不允许延期（未设置 [deadlines] exception_max_working_days）")
            }
            let handover = Self.handover(from: row)
            try db.execute(sql: "INSERT INTO deadline_exception (handover_id, reason, approved_by, approved_at, requested_by) VALUES (?, ?, ?, ?, ?)",
                           arguments: [handoverID, reason, actor, Date().timeIntervalSince1970, requestedBy?.auditName])
            try AuditLog.append(db, actor: actor, action: "deadline.exception", object: "handover:\(handoverID)",
                                detail: ["device": handover.serial, "officer": handover.badge, "reason": reason,
                                         "requestedBy": requestedBy?.auditName ?? "",
                                         "window": policy.deadlines.exceptionMaximum.map(String.init(describing:)) ?? ""],
                                rows: [BoundRow(.deadlineException, db.lastInsertedRowID)])
            try Self.rematch(serial: handover.serial, actor: actor, policy: policy, now: Date(), db: db)
            return handover
        }
    }

    /// Whether an exception covers the handover or any row it superseded (check-in records a new row).
    static func exceptionGranted(handoverID: Int64, db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            WITH RECURSIVE chain(id) AS (
                SELECT ? UNION SELECT h.supersedes FROM handover h JOIN chain ON h.id = chain.id WHERE h.supersedes IS NOT NULL)
            SELECT 1 FROM deadline_exception WHERE handover_id IN chain LIMIT 1
            """), arguments: [handoverID]) == true
    }
}
