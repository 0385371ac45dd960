import CustodyCore
import Crypto
import Foundation

/// A 32-byte SHA-256 value in the tree: a leaf hash, a node or a root.
/// A distinct type so that raw leaf data and hashes cannot be confused.
public struct MerkleHash: Sendable, Hashable, Codable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// `nil` unless exactly 32 bytes: a short hash is never a valid node.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits (either case).
    public init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = Hex.bytes(hex) else { return nil }
        self.bytes = bytes
    }

    init<D: Digest>(digest: D) {
        self.bytes = Array(digest)
    }

    /// Lowercase hex, the form written in checkpoints and reports.
    public var hex: String {
        let table = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }
}

/// The hashing of RFC 6962 section 2.1. Leaves and nodes get different
/// one-byte prefixes so that a node can never be passed off as a leaf.
public enum RFC6962 {
    /// MTH({}) = SHA-256(""): the root of the empty log.
    public static let emptyRoot = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// SHA-256(0x00 || data).
    public static func leafHash<D: DataProtocol>(_ data: D) -> MerkleHash {
        var h = SHA256()
        h.update(data: [0x00])
        h.update(data: data)
        return MerkleHash(digest: h.finalize())
    }

    /// SHA-256(0x01 || left || right).
    public static func nodeHash(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var h = SHA256()
        h.update(data: [0x01])
        h.update(data: left.bytes)
        h.update(data: right.bytes)
        return MerkleHash(digest: h.finalize())
    }

    /// The largest power of two strictly below `n` (n > 1): where MTH splits.
    static func split(_ n: Int) -> Int {
        precondition(n > 1, "split needs at least two leaves")
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
