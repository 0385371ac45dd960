import Foundation
import CustodyCatalog
import Testing

/// The Certificate Transparency reference vectors (certificate-transparency-go
/// merkletree tests, generated from the C++ reference implementation). A log
/// whose roots no other implementation reproduces proves nothing to a court.
enum CTVectors {
    static let leaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(bytes)

    /// Roots for tree sizes 0...8.
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(hash)

    /// (leaf index, tree size, audit path).
    static let inclusion: [(Int, Int, [MerkleHash])] = [
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"].map(hash)),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"].map(hash)),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"].map(hash)),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"].map(hash)),
    ]

    /// (old size, new size, consistency proof).
    static let consistency: [(Int, Int, [MerkleHash])] = [
        (1, 1, []),
        (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"].map(hash)),
        (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"].map(hash)),
        (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"].map(hash)),
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    static func hash(_ hex: String) -> MerkleHash { MerkleHash(hex: hex)! }
}

@Suite("RFC 6962 reference vectors")
struct ReferenceVectorTests {
    @Test("the empty tree's root is SHA-256 of the empty string")
    func emptyRoot() {
        #expect(MerkleTree.root(of: [[UInt8]]()) == CTVectors.roots[0])
        #expect(MerkleAccumulator().root == CTVectors.roots[0])
        #expect(RFC6962.emptyRoot.hex.hasPrefix("e3b0c442"))
    }

    @Test("the roots of the eight reference leaves match, for every size")
    func roots() {
        for size in 0...8 {
            #expect(MerkleTree.root(of: Array(CTVectors.leaves.prefix(size))) == CTVectors.roots[size], "size \(size)")
        }
    }

    @Test("the accumulator gives the reference roots as leaves arrive")
    func accumulatorRoots() {
        var acc = MerkleAccumulator()
        for (i, leaf) in CTVectors.leaves.enumerated() {
            acc.append(leafData: leaf)
            #expect(acc.root == CTVectors.roots[i + 1], "size \(i + 1)")
        }
    }

    @Test("the audit paths are the reference ones, and they verify")
    func inclusion() throws {
        for (index, size, expected) in CTVectors.inclusion {
            let leaves = Array(CTVectors.leaves.prefix(size))
            #expect(try MerkleTree.inclusionProof(index: index, of: leaves) == expected)
            #expect(MerkleVerifier.verifyInclusion(leafHash: RFC6962.leafHash(leaves[index]), index: index,
                                                   treeSize: size, proof: expected, root: CTVectors.roots[size]))
        }
    }

    @Test("the consistency proofs are the reference ones, and they verify")
    func consistency() throws {
        for (old, new, expected) in CTVectors.consistency {
            #expect(try MerkleTree.consistencyProof(from: old, to: new, of: CTVectors.leaves) == expected)
            #expect(MerkleVerifier.verifyConsistency(oldSize: old, newSize: new, oldRoot: CTVectors.roots[old],
                                                     newRoot: CTVectors.roots[new], proof: expected))
        }
    }
}
