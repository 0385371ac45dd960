import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// The one place a disc, a report, a custody report or an export gets the audit head printed on
    /// it: writes a checkpoint for `reason` (audited as `audit.checkpoint`) and returns it with the
    /// chain head it covers, signed with the station key and anchored outside the catalog once the
    /// daemon set its seal (`useSeal`), with the integrity alarm standing if there is one.
    public func stamp(reason: String, actor: String = "custodyd") throws -> AuditStamp {
        let seal = stampSeal.withLock { $0 }
        let checkpoint = try writeCheckpoint(reason: reason, actor: actor, sign: seal.map { seal in
            { size, root, at in try SignedTreeHead.sign(treeSize: size, root: root, time: at, key: seal.key) }
        })
        if let seal, let head = checkpoint.signedHead { try seal.anchor(head, reason) }
        return try stamp(of: checkpoint)
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
