import Foundation
import CustodyCatalog
import Testing

@Suite("Proofs round-trip, and tampering shows")
struct ProofRoundTripTests {
    static let leaves: [[UInt8]] = (0..<64).map { Array("audit-row-\($0)".utf8) }
    static let hashes = leaves.map { RFC6962.leafHash($0) }
    static let roots = (0...64).map { MerkleTree.root(ofLeafHashes: Array(hashes.prefix($0))) }

    @Test("every leaf's inclusion proof verifies in every tree of 1 to 64 leaves, and only there")
    func inclusionAllSizes() throws {
        for size in 1...64 {
            let tree = Array(Self.hashes.prefix(size))
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(index: index, ofLeafHashes: tree)
                #expect(MerkleVerifier.verifyInclusion(leafHash: tree[index], index: index, treeSize: size,
                                                       proof: proof, root: Self.roots[size]))
                let wrongLeaf = Self.hashes[(index + 1) % 64]
                #expect(!MerkleVerifier.verifyInclusion(leafHash: wrongLeaf, index: index, treeSize: size,
                                                        proof: proof, root: Self.roots[size]))
                let otherRoot = Self.roots[size == 1 ? 2 : size - 1]
                #expect(!MerkleVerifier.verifyInclusion(leafHash: tree[index], index: index, treeSize: size,
                                                        proof: proof, root: otherRoot))
                if !proof.isEmpty {
                    #expect(!MerkleVerifier.verifyInclusion(leafHash: tree[index], index: index, treeSize: size,
                                                            proof: Array(proof.dropLast()), root: Self.roots[size]))
                }
            }
        }
    }

    @Test("every consistency proof between sizes 0 to 64 verifies, and a wrong old root does not")
    func consistencyAllSizes() throws {
        for new in 1...64 {
            for old in 0...new {
                let proof = try MerkleTree.consistencyProof(from: old, to: new, ofLeafHashes: Self.hashes)
                #expect(MerkleVerifier.verifyConsistency(oldSize: old, newSize: new, oldRoot: Self.roots[old],
                                                         newRoot: Self.roots[new], proof: proof), "\(old)->\(new)")
                if old > 0, old < new {
                    let forged = Self.roots[old == 1 ? 2 : old - 1]
                    #expect(!MerkleVerifier.verifyConsistency(oldSize: old, newSize: new, oldRoot: forged,
                                                              newRoot: Self.roots[new], proof: proof))
                    #expect(!MerkleVerifier.verifyConsistency(oldSize: old, newSize: new, oldRoot: Self.roots[old],
                                                              newRoot: Self.roots[new], proof: Array(proof.dropLast())))
                }
            }
        }
    }

    @Test("a tampered audit row changes the root and breaks the consistency proof")
    func tamperedLeaf() throws {
        var rows = Self.leaves
        rows[17][0] ^= 0x01
        let tampered = MerkleTree.root(of: rows)
        #expect(tampered != Self.roots[64])
        let proof = try MerkleTree.consistencyProof(from: 20, to: 64, of: rows)
        #expect(!MerkleVerifier.verifyConsistency(oldSize: 20, newSize: 64, oldRoot: Self.roots[20],
                                                  newRoot: tampered, proof: proof))
    }

    @Test("the accumulator agrees with the tree for every size, and survives being saved and restored")
    func accumulatorMatchesTree() throws {
        var acc = MerkleAccumulator()
        for (i, h) in Self.hashes.enumerated() {
            acc.append(leafHash: h)
            #expect(acc.root == Self.roots[i + 1])
            let restored = try MerkleAccumulator(size: acc.size, subtreeRoots: acc.subtreeRoots)
            #expect(restored == acc)
        }
        #expect(throws: MerkleError.self) { try MerkleAccumulator(size: 3, subtreeRoots: []) }
    }

    @Test("a proof for a leaf outside the tree is refused")
    func outOfRange() {
        #expect(throws: MerkleError.indexOutOfRange(index: 4, size: 4)) {
            try MerkleTree.inclusionProof(index: 4, ofLeafHashes: Array(Self.hashes.prefix(4)))
        }
        #expect(throws: MerkleError.self) { try MerkleTree.consistencyProof(from: 5, to: 3, ofLeafHashes: Self.hashes) }
    }

    @Test("a checkpoint over a million rows runs in one pass with a handful of subtree roots")
    func millionLeaves() {
        var acc = MerkleAccumulator()
        var row = [UInt8](repeating: 0, count: 32)
        var widest = 0
        for i in 0..<1_000_000 {
            row[0] = UInt8(truncatingIfNeeded: i)
            row[1] = UInt8(truncatingIfNeeded: i >> 8)
            row[2] = UInt8(truncatingIfNeeded: i >> 16)
            acc.append(leafData: row)
            widest = max(widest, acc.subtreeRoots.count)
        }
        #expect(widest <= 20)
        #expect(acc.size == 1_000_000)
        #expect(acc.subtreeRoots.count == 1_000_000.nonzeroBitCount)
    }
}
