import Foundation

/// A signed tree head found outside the catalog (an anchor file, a disc, a bag, a report), and
/// where it was found.
public struct Anchor: Sendable, Equatable, Codable {
    public var source: String
    public var head: SignedTreeHead
    public init(source: String, head: SignedTreeHead) { self.source = source; self.head = head }
}

/// What one anchor says about today's log (provable-catalog issue, items 2 and 3).
public struct AnchorCheck: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        /// Today's log extends the anchor's tree.
        case consistent
        /// The anchor's tree is longer than today's log: the catalog was rolled back.
        case rolledBack = "rolled-back"
        /// The log's first rows no longer hash to the anchor's root: it was rewritten.
        case rechained
        /// The line's signature does not verify.
        case badSignature = "bad-signature"
        /// Signed, but not with this station's key.
        case foreignKey = "foreign-key"
        /// From history a signed restore replaced (rows lost in the restore, recorded as such).
        case superseded
    }

    public var anchor: Anchor
    public var verdict: Verdict
    public var message: String

    public init(anchor: Anchor, verdict: Verdict, message: String) {
        self.anchor = anchor; self.verdict = verdict; self.message = message
    }

    /// Whether the verdict is a finding (an alarm at start, a failure of `verify --against`).
    public var isProblem: Bool { verdict != .consistent && verdict != .superseded }

    /// Judges anchors against a log of `size` rows whose prefix roots were computed for every
    /// anchor's size (`MerkleScan`). `restores` are the signed restore statements: an anchor of
    /// the history a restore replaced is superseded, not rolled back, only if such a statement
    /// (which only the station key can make) covers it and itself agrees with the log.
    public static func judge(_ anchors: [Anchor], size: Int64, prefixRoots: [Int: MerkleHash], stationKey: String,
                             restores: [SignedTreeHead]) -> [AnchorCheck] {
        let validRestores = restores.filter { r in
            r.restoredFrom != nil && r.signatureValid && r.publicKey == stationKey && r.treeSize <= size
                && prefixRoots[Int(r.treeSize)]?.hex == r.root
        }
        return anchors.map { anchor in
            let head = anchor.head
            let when = SignedTreeHead.format(head.time)
            func check(_ verdict: Verdict, _ message: String) -> AnchorCheck { AnchorCheck(anchor: anchor, verdict: verdict, message: message) }
            guard head.signatureValid else {
                return check(.badSignature, "\(anchor.source): the tree head of \(when) does not carry a valid signature; it was altered")
            }
            guard head.publicKey == stationKey else {
                return check(.foreignKey, "\(anchor.source): the tree head of \(when) was signed by key \(head.publicKey.prefix(16)), not this station's key \(stationKey.prefix(16))")
            }
            if let restore = validRestores.first(where: { head != $0 && head.treeSize > $0.restoredFrom! && head.time <= $0.time }) {
                return check(.superseded, "\(anchor.source): the tree head of \(when) (\(head.treeSize) rows) is from history replaced by the restore from the backup at checkpoint \(restore.restoredFrom!) (recorded at row \(restore.treeSize), \(SignedTreeHead.format(restore.time)))")
            }
            guard head.treeSize <= size else {
                return check(.rolledBack, "\(anchor.source): signed \(when) at \(head.treeSize) rows, but the catalog's log holds \(size): the catalog was rolled back to an older copy")
            }
            guard let root = prefixRoots[Int(head.treeSize)], root.hex == head.root else {
                return check(.rechained, "\(anchor.source): the first \(head.treeSize) rows of the log no longer hash to the root signed \(when) (\(head.root.prefix(16))…): the log was rewritten")
            }
            return check(.consistent, "\(anchor.source): the log extends the tree of \(head.treeSize) rows signed \(when)")
        }
    }
}
