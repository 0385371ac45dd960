import Foundation

/// Running root of an append-only log: keeps only the roots of the complete
/// subtrees (one per set bit of the size), so a checkpoint over a million
/// audit rows costs one pass and about twenty hashes of memory. Its state can
/// be saved and restored, so the station need not re-read the whole log.
public struct MerkleAccumulator: Sendable, Hashable, Codable {
    /// Number of leaves appended.
    public private(set) var size: Int
    /// Roots of the complete subtrees, largest (leftmost) first.
    public private(set) var subtreeRoots: [MerkleHash]

    public init() {
        size = 0
        subtreeRoots = []
    }

    /// Restores a saved state; the number of roots must be the number of set
    /// bits in `size`, or the state was not produced by an accumulator.
    public init(size: Int, subtreeRoots: [MerkleHash]) throws(MerkleError) {
        guard size >= 0, size.nonzeroBitCount == subtreeRoots.count else {
            throw .inconsistentState(size: size, subtreeCount: subtreeRoots.count)
        }
        self.size = size
        self.subtreeRoots = subtreeRoots
    }

    /// Appends one leaf by its data (an audit row's hash, say).
    public mutating func append<D: DataProtocol>(leafData: D) {
        append(leafHash: RFC6962.leafHash(leafData))
    }

    /// Appends one leaf whose RFC 6962 leaf hash is already known.
    public mutating func append(leafHash: MerkleHash) {
        subtreeRoots.append(leafHash)
        // Each trailing one bit of the old size is a complete subtree of the
        // same height as the one just finished: merge them, as binary carry.
        var carry = size
        while carry & 1 == 1 {
            let right = subtreeRoots.removeLast()
            let left = subtreeRoots.removeLast()
            subtreeRoots.append(RFC6962.nodeHash(left, right))
            carry >>= 1
        }
        size += 1
    }

    /// MTH of all leaves so far. Folding the subtree roots from the right gives
    /// RFC 6962's split at the largest power of two, because the subtrees are
    /// exactly those powers of two.
    public var root: MerkleHash {
        guard var r = subtreeRoots.last else { return RFC6962.emptyRoot }
        for h in subtreeRoots.dropLast().reversed() {
            r = RFC6962.nodeHash(h, r)
        }
        return r
    }
}
