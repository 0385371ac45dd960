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

    /// Appends one row. `rows` are the bound rows the event changed (provable-catalog issue): each
    /// is read as it now is and carried in the detail, so the chain can rebuild it; a row of a
    /// table the action's kind does not declare in `BoundEvents` is refused, as is a missing row.
    @discardableResult
    static func append(_ db: Database, actor: String, action: String, object: String,
                       detail: [String: String] = [:], rows: [BoundRow] = [], at: Date = Date()) throws -> AuditEntry {
        let declared = rows.isEmpty ? [] : BoundEvents.tables(for: action)
        let images = try rows.map { bound -> [UInt8] in
            guard declared.contains(bound.table) else { throw BoundError.undeclared(action: action, table: bound.table.name) }
            guard let image = try RowImage.element(db, bound) else { throw BoundError.missingRow(action: action, table: bound.table.name) }
            return image
        }
        return try appendImages(db, actor: actor, action: action, object: object, detail: detail, images: images, at: at)
    }

    /// Appends one row carrying row images already made (`RowImage.element`).
    @discardableResult
    static func appendImages(_ db: Database, actor: String, action: String, object: String, detail: [String: String],
                             images: [[UInt8]], at: Date = Date()) throws -> AuditEntry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let prev: String = last?["hash"] ?? genesisHash
        let atMs = Int64((at.timeIntervalSince1970 * 1000).rounded())
        let detailText = RowImage.detail(detail, rows: images)
        let hash = hash(prev: prev, seq: seq, atMs: atMs, actor: actor, action: action,
                        object: object, detail: detailText)
        try db.cachedStatement(sql: """
            INSERT INTO audit (seq, at_ms, actor, action, object, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [seq, atMs, actor, action, object, detailText, prev, hash])
        return AuditEntry(seq: seq, at: Date(timeIntervalSince1970: Double(atMs) / 1000), actor: actor,
                          action: action, object: object, detail: detailText, prevHash: prev, hash: hash)
    }
}

/// A writer broke the binding rules: a programming error, found by the tests.
enum BoundError: Error, CustomStringConvertible {
    case undeclared(action: String, table: String)
    case missingRow(action: String, table: String)

    var description: String {
        switch self {
        case .undeclared(let action, let table):
            return "audit event \(action) carries a \(table) row, but BoundEvents does not declare that kind of change"
        case .missingRow(let action, let table):
            return "audit event \(action) names a \(table) row that is not there"
        }
    }
}
