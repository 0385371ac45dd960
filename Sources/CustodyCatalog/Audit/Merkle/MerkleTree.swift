import Foundation

/// Roots and proofs computed from the whole list of leaves (RFC 6962 2.1).
/// Used to hand a proof to an auditor; for a running checkpoint use
/// `MerkleAccumulator`, which needs no list in memory.
public enum MerkleTree {
    /// MTH over leaf data (each leaf is hashed with the 0x00 prefix).
    public static func root<D: DataProtocol>(of leaves: [D]) -> MerkleHash {
        root(ofLeafHashes: leaves.map { RFC6962.leafHash($0) })
    }

    /// MTH over leaf hashes already computed.
    public static func root(ofLeafHashes hashes: [MerkleHash]) -> MerkleHash {
        hashes.isEmpty ? RFC6962.emptyRoot : subtreeRoot(hashes[...])
    }

    /// Audit path PATH(index, D[n]): the sibling hashes from the leaf up.
    public static func inclusionProof<D: DataProtocol>(index: Int, of leaves: [D]) throws(MerkleError) -> [MerkleHash] {
        try inclusionProof(index: index, ofLeafHashes: leaves.map { RFC6962.leafHash($0) })
    }

    public static func inclusionProof(index: Int, ofLeafHashes hashes: [MerkleHash]) throws(MerkleError) -> [MerkleHash] {
        guard index >= 0, index < hashes.count else {
            throw .indexOutOfRange(index: index, size: hashes.count)
        }
        return path(index, hashes[...])
    }

    /// Consistency proof PROOF(m, D[n]) between the tree of the first `oldSize`
    /// leaves and the tree of the first `newSize` leaves (RFC 6962 2.1.2).
    public static func consistencyProof<D: DataProtocol>(from oldSize: Int, to newSize: Int,
                                                         of leaves: [D]) throws(MerkleError) -> [MerkleHash] {
        try consistencyProof(from: oldSize, to: newSize, ofLeafHashes: leaves.map { RFC6962.leafHash($0) })
    }

    public static func consistencyProof(from oldSize: Int, to newSize: Int,
                                        ofLeafHashes hashes: [MerkleHash]) throws(MerkleError) -> [MerkleHash] {
        guard oldSize >= 0, oldSize <= newSize, newSize <= hashes.count else {
            throw .sizesOutOfRange(oldSize: oldSize, newSize: newSize, available: hashes.count)
        }
        // Nothing to prove for an empty old tree or an unchanged one.
        if oldSize == 0 || oldSize == newSize { return [] }
        return subproof(oldSize, hashes[0..<newSize], complete: true)
    }

    static func subtreeRoot(_ hashes: ArraySlice<MerkleHash>) -> MerkleHash {
        if hashes.count == 1 { return hashes[hashes.startIndex] }
        let k = RFC6962.split(hashes.count)
        let mid = hashes.startIndex + k
        return RFC6962.nodeHash(subtreeRoot(hashes[..<mid]), subtreeRoot(hashes[mid...]))
    }

    static func path(_ m: Int, _ hashes: ArraySlice<MerkleHash>) -> [MerkleHash] {
        if hashes.count <= 1 { return [] }
        let k = RFC6962.split(hashes.count)
        let mid = hashes.startIndex + k
        if m < k {
            return path(m, hashes[..<mid]) + [subtreeRoot(hashes[mid...])]
        }
        return path(m - k, hashes[mid...]) + [subtreeRoot(hashes[..<mid])]
    }

    /// SUBPROOF(m, D[n], b); `complete` is b: whether the old tree is exactly
    /// this subtree, whose root the verifier already knows.
    static func subproof(_ m: Int, _ hashes: ArraySlice<MerkleHash>, complete: Bool) -> [MerkleHash] {
        let n = hashes.count
        if m == n { return complete ? [] : [subtreeRoot(hashes)] }
        let k = RFC6962.split(n)
        let mid = hashes.startIndex + k
        if m <= k {
            return subproof(m, hashes[..<mid], complete: complete) + [subtreeRoot(hashes[mid...])]
        }
        return subproof(m - k, hashes[mid...], complete: false) + [subtreeRoot(hashes[..<mid])]
    }
}

/// Why a proof could not be made.
public enum MerkleError: Error, Sendable, Hashable {
    case indexOutOfRange(index: Int, size: Int)
    case sizesOutOfRange(oldSize: Int, newSize: Int, available: Int)
    /// A saved accumulator state whose hashes do not fit its size.
    case inconsistentState(size: Int, subtreeCount: Int)
}
