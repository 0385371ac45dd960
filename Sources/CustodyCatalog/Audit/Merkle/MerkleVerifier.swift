import Foundation

/// Checks proofs without the log: what an auditor with only two signed
/// checkpoints and a leaf can do. Algorithms of RFC 9162 2.1.3.2 and 2.1.4.2,
/// which verify exactly the proofs RFC 6962 2.1.1 and 2.1.2 produce.
public enum MerkleVerifier {
    /// Whether `proof` shows the leaf with `leafHash` at `index` in the tree of
    /// `treeSize` leaves whose root is `root`.
    public static func verifyInclusion(leafHash: MerkleHash, index: Int, treeSize: Int,
                                       proof: [MerkleHash], root: MerkleHash) -> Bool {
        guard index >= 0, index < treeSize else { return false }
        var fn = index
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = RFC6962.nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                r = RFC6962.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows that the tree of `oldSize` leaves with `oldRoot`
    /// is a prefix of the tree of `newSize` leaves with `newRoot`: nothing
    /// registered before the old checkpoint was changed or removed.
    public static func verifyConsistency(oldSize: Int, newSize: Int, oldRoot: MerkleHash,
                                         newRoot: MerkleHash, proof: [MerkleHash]) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty && oldRoot == RFC6962.emptyRoot }
        guard !proof.isEmpty else { return false }
        var path = proof[...]
        // A power-of-two old tree is a whole subtree: its root starts the path.
        if oldSize & (oldSize - 1) == 0 { path = ([oldRoot] + proof)[...] }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[path.startIndex]
        var sr = fr
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = RFC6962.nodeHash(c, fr)
                sr = RFC6962.nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                sr = RFC6962.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
