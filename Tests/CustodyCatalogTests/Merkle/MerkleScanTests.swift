import CustodyCatalog
import Foundation
import Testing

/// The one-pass scan gives what the in-memory tree gives: the same roots and the same
/// consistency proofs, so a station can prove a million-row log without holding it.
@Suite("Merkle scan over streamed leaves")
struct MerkleScanTests {
    @Test("the streamed consistency proof and prefix roots equal MerkleTree's for every pair of sizes up to 64")
    func sameAsTree() throws {
        let hashes = ProofRoundTripTests.hashes
        for new in 1...64 {
            for old in 0...new {
                var scan = MerkleScan(proofFrom: old, proofTo: new, prefixes: [old])
                for hash in hashes.prefix(new) { scan.append(leafHash: hash) }
                #expect(scan.proof == (try MerkleTree.consistencyProof(from: old, to: new, ofLeafHashes: hashes)), "\(old)->\(new)")
                #expect(scan.root == ProofRoundTripTests.roots[new])
                #expect(scan.prefixRoots[old] == ProofRoundTripTests.roots[old])
            }
        }
    }
}
