import Foundation

/// One pass over a log's leaves, in order, that yields its root, the roots of chosen prefixes and
/// an RFC 6962 consistency proof, without holding the leaves: a station's audit log has millions
/// of rows, and `MerkleTree` would want them all in memory.
///
/// A consistency proof PROOF(m, D[n]) is a list of subtree roots MTH(D[a:b]) over disjoint ranges;
/// which ranges follows from m and n alone (SUBPROOF of RFC 6962 2.1.2, on indexes). Each range's
/// root is an accumulator fed the leaves that fall in it.
public struct MerkleScan: Sendable {
    public private(set) var size = 0
    private var all = MerkleAccumulator()
    private var ranges: [(range: Range<Int>, slot: Int)]
    private var parts: [MerkleAccumulator]
    private var next = 0
    private let wanted: Set<Int>
    /// Roots of the prefixes asked for, by size, once the scan has passed them.
    public private(set) var prefixRoots: [Int: MerkleHash] = [:]

    /// - Parameters:
    ///   - proofFrom: the old size m of a consistency proof to the size the scan ends at (`proofTo`).
    ///   - prefixes: sizes whose roots to keep (anchors, checkpoints).
    public init(proofFrom old: Int? = nil, proofTo new: Int = 0, prefixes: Set<Int> = []) {
        let ranges = old.map { Self.consistencyRanges(from: $0, to: new) } ?? []
        self.ranges = ranges.enumerated().map { ($0.element, $0.offset) }.sorted { $0.range.lowerBound < $1.range.lowerBound }
        self.parts = Array(repeating: MerkleAccumulator(), count: ranges.count)
        self.wanted = prefixes
        if prefixes.contains(0) { prefixRoots[0] = RFC6962.emptyRoot }
    }

    /// Goes on from a saved accumulator (the last verified position): prefixes at or below its
    /// size cannot be had and are not kept.
    public init(resuming accumulator: MerkleAccumulator, prefixes: Set<Int>) {
        self.size = accumulator.size
        self.all = accumulator
        self.ranges = []
        self.parts = []
        self.wanted = prefixes
    }

    /// The accumulator as it stands (its subtree roots are what a position saves).
    public var accumulator: MerkleAccumulator { all }

    public mutating func append(leafHash: MerkleHash) {
        while next < ranges.count && ranges[next].range.upperBound <= size { next += 1 }
        if next < ranges.count && ranges[next].range.contains(size) {
            parts[ranges[next].slot].append(leafHash: leafHash)
        }
        all.append(leafHash: leafHash)
        size += 1
        if wanted.contains(size) { prefixRoots[size] = all.root }
    }

    public mutating func append<D: DataProtocol>(leafData: D) {
        append(leafHash: RFC6962.leafHash(leafData))
    }

    public var root: MerkleHash { all.root }

    /// The proof asked for at init, valid once exactly `proofTo` leaves were appended.
    public var proof: [MerkleHash] { parts.map(\.root) }

    /// The ranges of PROOF(m, D[n]) in the proof's order.
    static func consistencyRanges(from m: Int, to n: Int) -> [Range<Int>] {
        guard m > 0, m < n else { return [] }
        return subproof(m, 0..<n, complete: true)
    }

    private static func subproof(_ m: Int, _ range: Range<Int>, complete: Bool) -> [Range<Int>] {
        let n = range.count
        if m == n { return complete ? [] : [range] }
        let k = RFC6962.split(n)
        let mid = range.lowerBound + k
        if m <= k {
            return subproof(m, range.lowerBound..<mid, complete: complete) + [mid..<range.upperBound]
        }
        return subproof(m - k, mid..<range.upperBound, complete: false) + [range.lowerBound..<mid]
    }
}
