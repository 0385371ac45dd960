import Foundation

/// The audit checkpoint a disc, a report or an export was made at: the audit log's size then,
/// the hash of its newest row (the chain head) and the RFC 6962 Merkle root over every row.
///
/// Printed on everything that leaves the station (DESIGN.md principle 3: "its head hash goes onto
/// every disc and every report"), so a later `audit verify` can show that the log still holds what
/// the paper says it held. One value, made in one place (`Catalog.stamp(reason:)`), so that signing
/// it later changes one function, not every page.
public struct AuditStamp: Sendable, Equatable, Codable {
    /// Rows the checkpoint covers; the head is row `treeSize`.
    public var treeSize: Int64
    /// Hash of row `treeSize` (the chain head when the stamp was made).
    public var headHash: String
    /// RFC 6962 Merkle tree root over rows 1…`treeSize`.
    public var root: String
    public var at: Date
    /// The checkpoint signed with the station key (`Custody-Tree-Head v1 size=… root=… time=…
    /// key=… sig=…`), which `custodyctl audit verify --against` reads back from the paper, the disc
    /// or the bag; nil for a stamp made before the daemon loaded its key.
    public var signedHead: String?
    /// The Ed25519 signature in `signedHead` (hex) and the short name of the key that made it (the
    /// first 16 hex digits of SHA-256 of the public key, as `custodyctl audit key` prints it).
    public var signature: String?
    public var keyID: String?
    /// The integrity alarm standing when the stamp was made: everything made while it stands says so.
    public var integrityAlarm: String?

    public init(treeSize: Int64, headHash: String, root: String, at: Date) {
        self.treeSize = treeSize; self.headHash = headHash; self.root = root; self.at = at
    }

    /// One line, the same wherever it is printed or encoded (AUDIT-HEAD.txt, labels, QR codes,
    /// bag-info.txt): `seq 1234 hash <64 hex> root <64 hex>`.
    public var line: String { "seq \(treeSize) hash \(headHash) root \(root)" }

    /// The line in three short pieces for paper: "审计日志第 1234 条", "链头 …", "Merkle 根 …".
    public var chineseLines: [String] {
        ["审计日志第 \(treeSize) 条", "链头 \(headHash)", "Merkle 根 \(root)"] + (keyID.map { ["站点签名密钥 \($0)"] } ?? [])
            + (integrityAlarm.map { ["完整性告警：\($0)"] } ?? [])
    }
}
