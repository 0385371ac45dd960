import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// The one place a disc, a report, a custody report or an export gets the audit head printed on
    /// it: writes a checkpoint for `reason` (audited as `audit.checkpoint`) and returns it with the
    /// chain head it covers, signed with the station key and anchored outside the catalog once the
    /// daemon set its seal (`useSeal`), with the integrity alarm standing if there is one.
    ///
    /// `reusing`: a report (what reads the catalog and changes nothing) takes the newest checkpoint
    /// when nothing has been written since it but its own row, instead of writing another
    /// (availability issue, item 5: a viewer asking for reports in a loop wrote a checkpoint and an
    /// audit row each time). The report still names the state it shows; discs, exports and
    /// requests, which change the catalog, always get their own.
    public func stamp(reason: String, actor: String = "custodyd", reusing: Bool = false) throws -> AuditStamp {
        let seal = stampSeal.withLock { $0 }
        let (checkpoint, written) = try writeCheckpoint(reason: reason, actor: actor, at: Date(), reusingUnchanged: reusing,
                                                        sign: seal.map { seal in
            { size, root, at in try SignedTreeHead.sign(treeSize: size, root: root, time: at, key: seal.key) }
        })
        if written, let seal, let head = checkpoint.signedHead { try seal.anchor(head, reason) }
        return try stamp(of: checkpoint)
    }

    /// The newest checkpoint if the only audit row after the rows it covers is its own (nothing
    /// happened since), and it is signed when the station signs.
    static func unchangedCheckpoint(_ db: Database, signed: Bool) throws -> AuditCheckpoint? {
        guard let row = try Row.fetchOne(db, sql: "SELECT tree_size, root, reason, at, signed_head FROM audit_checkpoint ORDER BY id DESC LIMIT 1"),
              let last = try Row.fetchOne(db, sql: "SELECT seq, action FROM audit ORDER BY seq DESC LIMIT 1")
        else { return nil }
        let checkpoint = AuditCheckpoint(treeSize: row["tree_size"], root: row["root"], reason: row["reason"],
                                         at: Date(timeIntervalSince1970: row["at"]),
                                         signedHead: (row["signed_head"] as String?).flatMap(SignedTreeHead.parse))
        guard (last["seq"] as Int64) == checkpoint.treeSize + 1, (last["action"] as String) == "audit.checkpoint",
              !signed || checkpoint.signedHead != nil
        else { return nil }
        return checkpoint
    }

    /// The stamp written earlier for `reason` (the newest, if several), so a label printed days after
    /// its disc was burned carries the head that is on the disc.
    public func stamp(writtenFor reason: String) throws -> AuditStamp? {
        let found = try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT tree_size, root, at, signed_head FROM audit_checkpoint WHERE reason = ? ORDER BY id DESC LIMIT 1",
                             arguments: [reason])
        }
        guard let found else { return nil }
        return try stamp(of: AuditCheckpoint(treeSize: found["tree_size"], root: found["root"], reason: reason,
                                             at: Date(timeIntervalSince1970: found["at"]),
                                             signedHead: (found["signed_head"] as String?).flatMap(SignedTreeHead.parse)))
    }

    private func stamp(of checkpoint: AuditCheckpoint) throws -> AuditStamp {
        let head = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = ?", arguments: [checkpoint.treeSize])
        }
        var stamp = AuditStamp(treeSize: checkpoint.treeSize, headHash: head ?? String(repeating: "0", count: 64), root: checkpoint.root,
                               at: checkpoint.at)
        if let signed = checkpoint.signedHead {
            stamp.signedHead = signed.line
            stamp.signature = signed.signature
            stamp.keyID = StationKey.keyID(publicKeyHex: signed.publicKey)
        }
        stamp.integrityAlarm = stampSeal.withLock { $0 }?.alarm()
        return stamp
    }
}
