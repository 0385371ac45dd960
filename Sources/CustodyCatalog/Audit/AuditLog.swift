import Crypto
import CustodyCore
import Foundation
import GRDB

/// One row of the append-only audit log, chained to the previous one by SHA-256
/// (DESIGN.md principle 3: everything that happens is written down, refusals included).
public struct AuditEntry: Sendable, Equatable, Codable {
    public var seq: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var object: String
    public var detail: String
    public var prevHash: String
    public var hash: String

    /// The link a row's `hash` must equal: SHA-256 over the previous row's hash, the sequence
    /// number, the time in milliseconds and every field, newline-separated, each field
    /// length-prefixed so a newline inside one cannot forge a boundary. Public so that a verifier
    /// outside the daemon (or a tool writing a catalog in bulk) computes exactly the same chain.
    public static func chainHash(prev: String, seq: Int64, atMs: Int64, actor: String, action: String,
                                 object: String, detail: String) -> String {
        var text = prev + "\n" + String(seq) + "\n" + String(atMs)
        for field in [actor, action, object, detail] {
            text += "\n" + String(field.utf8.count) + ":" + field
        }
        return MerkleHash(digest: SHA256.hash(data: Data(text.utf8))).hex
    }
}

/// Appends to and checks the audit chain. Appends happen inside the caller's transaction,
/// so an audit row exists exactly when the change it records does.
enum AuditLog {
    static let genesisHash = String(repeating: "0", count: 64)

    /// The hash of a row: SHA-256 over the previous hash and every field, newline-separated.
    /// Newlines inside fields cannot forge a boundary because each field is length-prefixed.
    static func hash(prev: String, seq: Int64, atMs: Int64, actor: String, action: String,
                     object: String, detail: String) -> String {
        AuditEntry.chainHash(prev: prev, seq: seq, atMs: atMs, actor: actor, action: action, object: object, detail: detail)
    }

    @discardableResult
    static func append(_ db: Database, actor: String, action: String, object: String,
                       detail: [String: String] = [:], at: Date = Date()) throws -> AuditEntry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let prev: String = last?["hash"] ?? genesisHash
        let atMs = Int64((at.timeIntervalSince1970 * 1000).rounded())
        let detailText = JSONText.encode(detail)
        let hash = hash(prev: prev, seq: seq, atMs: atMs, actor: actor, action: action,
                        object: object, detail: detailText)
        try db.cachedStatement(sql: """
            INSERT INTO audit (seq, at_ms, actor, action, object, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, atMs, actor, action, object, detailText, prev, hash])
        return AuditEntry(seq: seq, at: Date(timeIntervalSince1970: Double(atMs) / 1000), actor: actor,
                          action: action, object: object, detail: detailText, prevHash: prev, hash: hash)
    }

    /// Walks the chain from genesis; returns the first row whose link or hash is wrong.
    static func verify(_ db: Database) throws -> AuditVerification {
        var prev = genesisHash
        var expectedSeq: Int64 = 1
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY seq")
        while let row = try rows.next() {
            let seq: Int64 = row["seq"]
            if seq != expectedSeq {
                return AuditVerification(valid: false, rows: expectedSeq - 1, head: prev, firstBadSeq: expectedSeq,
                                         problem: "row \(expectedSeq) is missing (next row is \(seq))")
            }
            let stored: String = row["hash"]
            let recomputed = hash(prev: row["prev_hash"], seq: seq, atMs: row["at_ms"], actor: row["actor"],
                                  action: row["action"], object: row["object"], detail: row["detail"])
            if row["prev_hash"] != prev {
                return AuditVerification(valid: false, rows: seq - 1, head: prev, firstBadSeq: seq,
                                         problem: "row \(seq) does not link to row \(seq - 1)")
            }
            if recomputed != stored {
                return AuditVerification(valid: false, rows: seq - 1, head: prev, firstBadSeq: seq,
                                         problem: "row \(seq) was altered (hash mismatch)")
            }
            prev = stored
            expectedSeq += 1
        }
        return AuditVerification(valid: true, rows: expectedSeq - 1, head: prev, firstBadSeq: nil, problem: nil)
    }
}

/// The outcome of walking the audit chain.
public struct AuditVerification: Sendable, Equatable, Codable {
    public var valid: Bool
    public var rows: Int64
    public var head: String
    public var firstBadSeq: Int64?
    public var problem: String?
}
