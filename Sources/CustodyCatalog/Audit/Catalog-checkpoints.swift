import CustodyCore
import Foundation
import GRDB

/// A signed-off state of the audit log: RFC 6962 Merkle tree size and root over the rows' hashes.
public struct AuditCheckpoint: Sendable, Equatable, Codable {
    public var treeSize: Int64
    public var root: String
    public var reason: String
    public var at: Date
    /// The checkpoint signed with the station key (none before keys existed, or without one).
    public var signedHead: SignedTreeHead?
}

/// Filters for `audit show`.
public struct AuditFilter: Sendable, Equatable {
    /// Rows about exactly this object (`clip:<sha256>`, `access:3`).
    public var object: String?
    /// Rows by this account, whatever its name was then (`uid:N` or `uid:N(name)`).
    public var actorUID: UInt32?
    /// Rows whose action is this or starts with it followed by more (`disposal` → `disposal.propose`).
    public var action: String?
    public var from: Date?
    public var to: Date?
    public var limit: Int
    /// Rows skipped from the newest: the page after the newest `limit` rows is `offset: limit`.
    public var offset: Int
    public init(object: String? = nil, actorUID: UInt32? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 1000,
                offset: Int = 0) {
        self.object = object; self.actorUID = actorUID; self.action = action; self.from = from; self.to = to; self.limit = limit
        self.offset = offset
    }
}

extension Catalog {
    /// Writes a checkpoint over every audit row so far (periodically, and on every disc set,
    /// report and export), then audits that it did. Returns the checkpoint.
    ///
    /// The accumulator's state is saved with each checkpoint, so the next one hashes only the rows
    /// added since (a report on a million-row log costs the rows of the day, not a million). The
    /// saved state is used only if its root is the checkpoint's root; `verifyCheckpoints` still
    /// recomputes every checkpoint from genesis.
    ///
    /// `sign` signs the tree head with the station key (`SignedTreeHead.sign`); the signed line is
    /// kept with the checkpoint and in its audit row, and the caller writes it where the catalog
    /// cannot take it back.
    @discardableResult
    public func writeCheckpoint(reason: String, actor: String = "custodyd", at: Date = Date(),
                                sign: ((_ treeSize: Int64, _ root: String, _ at: Date) throws -> SignedTreeHead)? = nil) throws -> AuditCheckpoint {
        try writeCheckpoint(reason: reason, actor: actor, at: at, reusingUnchanged: false, sign: sign).checkpoint
    }

    /// As above; with `reusingUnchanged`, the newest checkpoint is answered instead (`written`
    /// false) when nothing was written after it but its own row, decided in the same write
    /// transaction that would otherwise write the new one (so no row can land in between).
    func writeCheckpoint(reason: String, actor: String, at: Date, reusingUnchanged: Bool,
                         sign: ((_ treeSize: Int64, _ root: String, _ at: Date) throws -> SignedTreeHead)?)
        throws -> (checkpoint: AuditCheckpoint, written: Bool) {
        try pool.write { db in
            if reusingUnchanged, let latest = try Self.unchangedCheckpoint(db, signed: sign != nil) { return (latest, false) }
            var accumulator = try Self.lastAccumulator(db) ?? MerkleAccumulator()
            let rows = try Row.fetchCursor(db, sql: "SELECT hash FROM audit WHERE seq > ? ORDER BY seq", arguments: [accumulator.size])
            while let row = try rows.next() { accumulator.append(leafData: Array((row["hash"] as String).utf8)) }
            var checkpoint = AuditCheckpoint(treeSize: Int64(accumulator.size), root: accumulator.root.hex, reason: reason, at: at)
            checkpoint.signedHead = try sign?(checkpoint.treeSize, checkpoint.root, at)
            let state = JSONText.encode(accumulator.subtreeRoots.map(\.hex))
            try db.execute(sql: """
                INSERT INTO audit_checkpoint (tree_size, root, reason, at, subtree_roots, signed_head) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [checkpoint.treeSize, checkpoint.root, reason, checkpoint.at.timeIntervalSince1970, state,
                                 checkpoint.signedHead?.line])
            var detail = ["treeSize": String(checkpoint.treeSize), "root": checkpoint.root, "reason": reason]
            if let head = checkpoint.signedHead { detail["signedHead"] = head.line }
            try AuditLog.append(db, actor: actor, action: "audit.checkpoint", object: "audit", detail: detail, at: at)
            return (checkpoint, true)
        }
    }

    /// The accumulator as the newest checkpoint left it, if that checkpoint saved one that
    /// reproduces its root and its last row is there (rows are never deleted; a trigger refuses it).
    static func lastAccumulator(_ db: Database) throws -> MerkleAccumulator? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT tree_size, root, subtree_roots FROM audit_checkpoint WHERE subtree_roots IS NOT NULL ORDER BY id DESC LIMIT 1
            """) else { return nil }
        let size: Int64 = row["tree_size"]
        let roots = JSONText.decodeStrings(row["subtree_roots"]).compactMap(MerkleHash.init(hex:))
        guard let accumulator = try? MerkleAccumulator(size: Int(size), subtreeRoots: roots), accumulator.root.hex == row["root"]
        else { return nil }
        let lastRow = try Bool.fetchOne(db, sql: "SELECT 1 FROM audit WHERE seq = ?", arguments: [size]) == true
        return size == 0 || lastRow ? accumulator : nil
    }

    /// The newest checkpoint signed with the station key (what reports that make none carry).
    public func latestSignedHead() throws -> SignedTreeHead? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT signed_head FROM audit_checkpoint WHERE signed_head IS NOT NULL ORDER BY id DESC LIMIT 1")
        }.flatMap(SignedTreeHead.parse)
    }

    public func checkpoints() throws -> [AuditCheckpoint] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_checkpoint ORDER BY id").map {
                AuditCheckpoint(treeSize: $0["tree_size"], root: $0["root"], reason: $0["reason"], at: Date(timeIntervalSince1970: $0["at"]),
                                signedHead: ($0["signed_head"] as String?).flatMap(SignedTreeHead.parse))
            }
        }
    }

    /// Recomputes the Merkle root at every stored checkpoint's size; the first checkpoint whose
    /// root no longer matches, if any (rows before it were changed after it was written).
    public func verifyCheckpoints() throws -> (checked: Int, firstBad: AuditCheckpoint?) {
        let stored = try checkpoints()
        return try pool.read { db in try Self.checkpointCheck(db, stored: stored) }
    }

    static func checkpointCheck(_ db: Database, stored: [AuditCheckpoint]) throws -> (checked: Int, firstBad: AuditCheckpoint?) {
        var accumulator = MerkleAccumulator()
        var index = 0
        for checkpoint in stored where checkpoint.treeSize == 0 && checkpoint.root != RFC6962.emptyRoot.hex { return (index, checkpoint) }
        let rows = try Row.fetchCursor(db, sql: "SELECT hash FROM audit ORDER BY seq")
        while let row = try rows.next() {
            accumulator.append(leafData: Array((row[0] as String).utf8))
            while index < stored.count && Int64(accumulator.size) == stored[index].treeSize {
                if accumulator.root.hex != stored[index].root { return (index, stored[index]) }
                index += 1
            }
        }
        return (index, index < stored.count ? stored[index] : nil)
    }

    /// Audit rows matching the filter, oldest first.
    public func auditEntries(_ filter: AuditFilter) throws -> [AuditEntry] {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        // Exact matches, never LIKE patterns: `--user 100` is uid 100, not every uid containing "100".
        if let object = filter.object { clauses.append("object = ?"); arguments.append(object) }
        if let uid = filter.actorUID {
            clauses.append("(actor = ? OR substr(actor, 1, ?) = ?)")
            arguments += ["uid:\(uid)", "uid:\(uid)(".count, "uid:\(uid)("]
        }
        if let action = filter.action { clauses.append("substr(action, 1, ?) = ?"); arguments += [action.count, action] }
        if let from = filter.from { clauses.append("at_ms >= ?"); arguments.append(Int64(from.timeIntervalSince1970 * 1000)) }
        if let to = filter.to { clauses.append("at_ms < ?"); arguments.append(Int64(to.timeIntervalSince1970 * 1000)) }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        arguments += [filter.limit, filter.offset]
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM audit \(whereSQL) ORDER BY seq DESC LIMIT ? OFFSET ?) ORDER BY seq",
                             arguments: StatementArguments(arguments)).map { row in
                AuditEntry(seq: row["seq"], at: Date(timeIntervalSince1970: Double(row["at_ms"] as Int64) / 1000),
                           actor: row["actor"], action: row["action"], object: row["object"], detail: row["detail"],
                           prevHash: row["prev_hash"], hash: row["hash"])
            }
        }
    }

    /// Where the fixity scrub has got to: the pass start, the last hash checked, passes done.
    public func scrubState() throws -> (passStartedAt: Date, lastSHA256: String, passes: Int)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM scrub_state WHERE id = 1").map {
                (Date(timeIntervalSince1970: $0["pass_started_at"]), $0["last_sha256"], $0["passes_completed"])
            }
        }
    }

    public func saveScrubState(passStartedAt: Date, lastSHA256: String, passes: Int) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO scrub_state (id, pass_started_at, last_sha256, passes_completed) VALUES (1, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET pass_started_at = excluded.pass_started_at, last_sha256 = excluded.last_sha256,
                                              passes_completed = excluded.passes_completed
                """, arguments: [passStartedAt.timeIntervalSince1970, lastSHA256, passes])
        }
    }

    /// Live (not disposed) clips after `sha256` in hash order, for the scrub to resume from.
    public func clipsAfter(_ sha256: String, limit: Int) throws -> [(sha256: String, size: UInt64)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT sha256, size_bytes FROM clip WHERE sha256 > ? AND disposed_at IS NULL ORDER BY sha256 LIMIT ?",
                             arguments: [sha256, limit]).map { ($0["sha256"], UInt64($0["size_bytes"] as Int64)) }
        }
    }
}
