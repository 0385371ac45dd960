import CustodyCore
import Foundation
import GRDB

/// A numbered disposal proposal and, once decided, who decided it.
public struct DisposalProposal: Sendable, Equatable, Codable {
    public var id: Int64
    public var proposedBy: String
    public var proposedAt: Date
    public var clips: [String]
    public var bytes: Int64
    /// approved or refused; nil while open.
    public var decision: String?
    public var decidedBy: String?
    public var decidedAt: Date?
}

/// What a disposed clip leaves behind (retention issue, "Disposal by two people").
public struct Tombstone: Sendable, Equatable, Codable {
    public var sha256: String
    public var sizeBytes: Int64
    public var recordedAt: Date?
    public var ingestedAt: Date
    public var officerBadge: String?
    public var deviceSerial: String?
    public var proposalID: Int64
    public var proposedBy: String
    public var approvedBy: String
    public var disposedAt: Date
}

extension Catalog {
    /// A long-term clip's store copy may go only once both copies of a disc set holding it are
    /// verified (and labelled or stored after): `[retention] long_term_store_months` sets its
    /// retain-until, which was ignored before (issue 19, item 3: long-term clips were never
    /// disposable). Other classes pass.
    static let longTermOnDiscSQL = """
        (c.retention_class <> 'long-term' OR EXISTS (
            SELECT 1 FROM disc_set_item i WHERE i.clip_sha256 = c.sha256
              AND (SELECT e.state FROM disc_copy_event e WHERE e.set_id = i.set_id AND e.copy = 'A' ORDER BY e.id DESC LIMIT 1)
                  IN ('verified', 'label-confirmed', 'stored')
              AND (SELECT e.state FROM disc_copy_event e WHERE e.set_id = i.set_id AND e.copy = 'B' ORDER BY e.id DESC LIMIT 1)
                  IN ('verified', 'label-confirmed', 'stored')))
        """

    /// The clips disposal may take now: past retain-until, not disposed, a long-term one only
    /// with both disc copies verified (`longTermOnDiscSQL`), not on hold (neither the clip nor its
    /// case), not in an undecided proposal.
    static func disposable(now: Date, db: Database) throws -> [(sha256: String, size: Int64)] {
        try Row.fetchAll(db, sql: """
            SELECT c.sha256, c.size_bytes FROM clip c
            WHERE c.disposed_at IS NULL AND c.retain_until IS NOT NULL AND c.retain_until < ?
              AND \(Self.longTermOnDiscSQL)
              AND NOT EXISTS (SELECT 1 FROM active_hold h WHERE h.target = 'clip:' || c.sha256
                                                         OR (c.case_number IS NOT NULL AND h.target = 'case:' || c.case_number))
              AND NOT EXISTS (SELECT 1 FROM disposal_item i JOIN disposal_proposal p ON p.id = i.proposal_id
                              WHERE i.clip_sha256 = c.sha256
                                AND NOT EXISTS (SELECT 1 FROM disposal_decision d WHERE d.proposal_id = p.id))
            ORDER BY c.retain_until, c.sha256
            """, arguments: [now.timeIntervalSince1970]).map { ($0["sha256"], $0["size_bytes"]) }
    }

    /// Lists the disposable clips as a numbered proposal; nothing is removed. Audited.
    public func proposeDisposal(by proposer: Person, now: Date = Date()) throws -> DisposalProposal {
        let (actor, uid) = (proposer.auditName, proposer.uid)
        return try pool.write { db in
            let clips = try Self.disposable(now: now, db: db)
            guard !clips.isEmpty else {
                throw LedgerError("nothing-to-dispose", "no clip is past its retention period and free of holds; nothing was proposed",
                                  zh: "没有超过保存期限且未被冻结的录像，未生成销毁建议")
            }
            try db.execute(sql: "INSERT INTO disposal_proposal (proposed_by, proposer_uid, proposed_at) VALUES (?, ?, ?)",
                           arguments: [actor, uid, now.timeIntervalSince1970])
            let id = db.lastInsertedRowID
            for clip in clips {
                try db.execute(sql: "INSERT INTO disposal_item (proposal_id, clip_sha256) VALUES (?, ?)", arguments: [id, clip.sha256])
            }
            try AuditLog.append(db, actor: actor, action: "disposal.propose", object: "disposal:\(id)",
                                detail: ["clips": String(clips.count), "bytes": String(clips.reduce(0) { $0 + $1.size })],
                                rows: [BoundRow(.disposalProposal, id)] + clips.map { BoundRow(.disposalItem, id, $0.sha256) })
            return try Self.disposalProposal(id: id, db: db)!
        }
    }

    /// Approves a proposal by a second person (`Person.distinct`: not the proposer, nor an account
    /// that cannot be told apart from them; `currentName` gives a uid's account name now).
    /// Returns the clips to remove from the store (the caller removes them after this commit;
    /// startup recovery finishes a removal cut short). Clips put on hold since the proposal are
    /// left out and kept.
    public func approveDisposal(id: Int64, by approver: Person, currentName: (UInt32) -> String?,
                                now: Date = Date()) throws -> (DisposalProposal, [String]) {
        let actor = approver.auditName
        return try pool.write { db in
            guard let proposal = try Self.disposalProposal(id: id, db: db) else {
                throw LedgerError("unknown-proposal", "no disposal proposal \(id)", zh: "没有编号为 \(id) 的销毁建议")
            }
            guard proposal.decision == nil else {
                throw LedgerError("decided", "proposal \(id) was already \(proposal.decision!) by \(proposal.decidedBy ?? "?")",
                                  zh: "销毁建议 \(id) 已处理")
            }
            let proposerUID = try Int64.fetchOne(db, sql: "SELECT proposer_uid FROM disposal_proposal WHERE id = ?", arguments: [id]) ?? -1
            let proposer = Person(auditName: proposal.proposedBy) ?? Person(uid: UInt32(truncatingIfNeeded: proposerUID), name: "")
            if let problem = Person.distinct(approver, from: proposer, as: .proposer, currentName: currentName(proposer.uid)) {
                throw LedgerError(problem.code, "proposal \(id): " + problem.message, zh: "销毁建议 \(id)：" + problem.messageZh)
            }
            let stillDisposable = Set(try Self.disposableIgnoringOpenProposals(now: now, db: db))
            let removing = proposal.clips.filter { stillDisposable.contains($0) }
            try db.execute(sql: "INSERT INTO disposal_decision (proposal_id, decision, decided_by, decided_at, note) VALUES (?, 'approved', ?, ?, ?)",
                           arguments: [id, actor, now.timeIntervalSince1970,
                                       removing.count == proposal.clips.count ? "" : "\(proposal.clips.count - removing.count) clips kept (held or changed since the proposal)"])
            for hash in removing {
                let row = try Row.fetchOne(db, sql: "SELECT * FROM clip WHERE sha256 = ?", arguments: [hash])!
                try db.execute(sql: """
                    INSERT INTO tombstone (clip_sha256, size_bytes, recorded_at, ingested_at, officer_badge, device_serial,
                                           proposal_id, proposed_by, approved_by, disposed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [hash, row["size_bytes"] as Int64, row["recorded_at"] as Double?, row["ingested_at"] as Double,
                                     row["officer_badge"] as String?, row["device_serial"] as String?, id, proposal.proposedBy,
                                     actor, now.timeIntervalSince1970])
                try db.execute(sql: "UPDATE clip SET disposed_at = ? WHERE sha256 = ?", arguments: [now.timeIntervalSince1970, hash])
                try AuditLog.append(db, actor: actor, action: "clip.dispose", object: "clip:\(hash)",
                                    detail: ["proposal": String(id), "proposedBy": proposal.proposedBy, "size": String(row["size_bytes"] as Int64)],
                                    rows: [BoundRow(.tombstone, hash), .clip(hash)])
            }
            try AuditLog.append(db, actor: actor, action: "disposal.approve", object: "disposal:\(id)",
                                detail: ["disposed": String(removing.count), "kept": String(proposal.clips.count - removing.count)],
                                rows: [BoundRow(.disposalDecision, id)])
            return (try Self.disposalProposal(id: id, db: db)!, removing)
        }
    }

    static func disposableIgnoringOpenProposals(now: Date, db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT c.sha256 FROM clip c
            WHERE c.disposed_at IS NULL AND c.retain_until IS NOT NULL AND c.retain_until < ?
              AND \(Self.longTermOnDiscSQL)
              AND NOT EXISTS (SELECT 1 FROM active_hold h WHERE h.target = 'clip:' || c.sha256
                                                         OR (c.case_number IS NOT NULL AND h.target = 'case:' || c.case_number))
            """, arguments: [now.timeIntervalSince1970])
    }

    public func disposalProposals() throws -> [DisposalProposal] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM disposal_proposal ORDER BY id").compactMap { try Self.disposalProposal(id: $0, db: db) }
        }
    }

    public func disposalProposal(id: Int64) throws -> DisposalProposal? {
        try pool.read { db in try Self.disposalProposal(id: id, db: db) }
    }

    static func disposalProposal(id: Int64, db: Database) throws -> DisposalProposal? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT p.*, d.decision, d.decided_by, d.decided_at FROM disposal_proposal p
            LEFT JOIN disposal_decision d ON d.proposal_id = p.id WHERE p.id = ?
            """, arguments: [id]) else { return nil }
        let items = try Row.fetchAll(db, sql: """
            SELECT i.clip_sha256, c.size_bytes FROM disposal_item i JOIN clip c ON c.sha256 = i.clip_sha256
            WHERE i.proposal_id = ? ORDER BY i.clip_sha256
            """, arguments: [id])
        return DisposalProposal(id: id, proposedBy: row["proposed_by"], proposedAt: Date(timeIntervalSince1970: row["proposed_at"]),
                                clips: items.map { $0["clip_sha256"] }, bytes: items.reduce(0) { $0 + ($1["size_bytes"] as Int64) },
                                decision: row["decision"], decidedBy: row["decided_by"],
                                decidedAt: (row["decided_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    public func tombstones() throws -> [Tombstone] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM tombstone ORDER BY disposed_at, clip_sha256").map(Self.tombstone) }
    }

    /// The tombstone of one disposed clip; nil for a clip that was not disposed.
    public func tombstone(sha256: String) throws -> Tombstone? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM tombstone WHERE clip_sha256 = ?", arguments: [sha256]).map(Self.tombstone) }
    }

    /// How many clips were disposed (their rows stay; counts of clips leave them out).
    public func disposedCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tombstone") ?? 0 }
    }

    static func tombstone(_ row: Row) -> Tombstone {
        Tombstone(sha256: row["clip_sha256"], sizeBytes: row["size_bytes"],
                  recordedAt: (row["recorded_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                  ingestedAt: Date(timeIntervalSince1970: row["ingested_at"]), officerBadge: row["officer_badge"],
                  deviceSerial: row["device_serial"], proposalID: row["proposal_id"], proposedBy: row["proposed_by"],
                  approvedBy: row["approved_by"], disposedAt: Date(timeIntervalSince1970: row["disposed_at"]))
    }

    /// Hashes of disposed clips (their store files must be gone; recovery finishes a cut-short removal).
    public func disposedHashes() throws -> Set<String> {
        try pool.read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM clip WHERE disposed_at IS NOT NULL")) }
    }
}
