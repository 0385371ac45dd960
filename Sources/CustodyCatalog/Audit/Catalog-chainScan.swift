import Foundation
import GRDB

/// Where a walk of the chain ended: its size, the hash of its last row and the Merkle
/// accumulator's subtree roots there, so the next walk can start after it.
public struct ChainPosition: Sendable, Equatable, Codable {
    public var size: Int64
    public var lastRowHash: String
    public var subtreeRoots: [String]
    public init(size: Int64, lastRowHash: String, subtreeRoots: [String]) {
        self.size = size; self.lastRowHash = lastRowHash; self.subtreeRoots = subtreeRoots
    }
}

/// What a walk of the chain (or of its rows after a verified position) found.
public struct ChainScan: Sendable {
    public var end: ChainPosition
    public var root: MerkleHash
    /// Roots at the sizes asked for that lie after the start.
    public var prefixRoots: [Int: MerkleHash]
    /// The first row whose link or hash is wrong, or the start row whose hash changed.
    public var problem: (seq: Int64, message: String)?
    /// The newest row's time (the log's clock).
    public var lastAt: Date?
    /// Whether the walk started after a verified position (false: from genesis).
    public var incremental: Bool
}

extension Catalog {
    /// Walks the audit rows after `start` (from genesis without one, or when the catalog no
    /// longer has the start's row as it was): links and hashes checked, the Merkle tree carried on
    /// from the saved subtree roots, the roots at `prefixes` kept. The start check of the daemon
    /// (provable-catalog issue, item 3): rows before the last verified position are not read
    /// again; whether they were rewritten shows in their last row's hash, which every later row
    /// links to, and in the anchors (the daily check walks the whole chain).
    public func scanChain(from start: ChainPosition?, prefixes: Set<Int>) throws -> ChainScan {
        try pool.read { db in
            var links = ChainLinks()
            var merkle = MerkleScan(prefixes: prefixes)
            var problem: (seq: Int64, message: String)?
            var incremental = false
            if let start, start.size > 0,
               let accumulator = try? MerkleAccumulator(size: Int(start.size), subtreeRoots: start.subtreeRoots.compactMap(MerkleHash.init(hex:))) {
                let stored = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = ?", arguments: [start.size])
                if stored == start.lastRowHash {
                    links = ChainLinks(after: start.size, hash: start.lastRowHash)
                    merkle = MerkleScan(resuming: accumulator, prefixes: prefixes)
                    incremental = true
                } else {
                    problem = (start.size, stored == nil
                               ? "row \(start.size), verified at the last check, is gone: the catalog holds fewer rows than it did"
                               : "row \(start.size) no longer has the hash verified at the last check: rows up to \(start.size) were rewritten")
                }
            }
            var lastAt: Int64?
            var lastHash = links.prevHash
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(ChainLinks.columns) FROM audit WHERE seq > ? ORDER BY seq",
                                             arguments: [links.expectedSeq - 1])
            while let row = try cursor.next() {
                if let found = links.check(row), problem == nil { problem = (found.seq, found.problem) }
                lastHash = row[7]
                lastAt = row[1]
                merkle.append(leafData: Array(lastHash.utf8))
            }
            if lastAt == nil && links.expectedSeq > 1 {
                lastAt = try Int64.fetchOne(db, sql: "SELECT at_ms FROM audit WHERE seq = ?", arguments: [links.expectedSeq - 1])
            }
            let end = ChainPosition(size: Int64(merkle.size), lastRowHash: lastHash,
                                    subtreeRoots: merkle.accumulator.subtreeRoots.map(\.hex))
            return ChainScan(end: end, root: merkle.root, prefixRoots: merkle.prefixRoots, problem: problem,
                             lastAt: lastAt.map { Date(timeIntervalSince1970: Double($0) / 1000) }, incremental: incremental)
        }
    }

    /// The log's time: the wall clock, or the newest audit row's time when the clock reads
    /// earlier (it was set back). Approvals and expiries are judged by it, so setting the clock
    /// back cannot bring an expired approval back (provable-catalog issue, item 4).
    public func logTime(now: Date = Date()) throws -> Date {
        let last = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT at_ms FROM audit ORDER BY seq DESC LIMIT 1") }
        return max(now, last.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? now)
    }

    /// An RFC 6962 consistency proof from the tree of `oldSize` rows to today's log, with today's
    /// size and root and the old tree's root as today's rows give it: what `audit verify
    /// --against` shows (one pass over the rows' hashes, none held).
    /// `prefixes` are further sizes whose roots to return (signed restore statements).
    public func consistencyProof(from oldSize: Int64, prefixes: Set<Int> = [])
        throws -> (size: Int64, root: MerkleHash, prefixRoots: [Int: MerkleHash], proof: [MerkleHash]) {
        try pool.read { db in
            let size = try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0
            var scan = MerkleScan(proofFrom: oldSize <= size ? Int(oldSize) : nil, proofTo: Int(size), prefixes: prefixes.union([Int(oldSize)]))
            let cursor = try String.fetchCursor(db, sql: "SELECT hash FROM audit ORDER BY seq")
            while let hash = try cursor.next() { scan.append(leafData: Array(hash.utf8)) }
            return (Int64(scan.size), scan.root, scan.prefixRoots, oldSize <= size ? scan.proof : [])
        }
    }
}
