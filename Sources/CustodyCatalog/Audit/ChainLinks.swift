import GRDB

/// Checks audit rows one after another: each must have the next sequence number, link to the
/// hash of the row before, and hash to its stored hash. Shared by the full replay (`ChainReplay`)
/// and the start check that walks only the rows after the last verified position.
struct ChainLinks {
    var expectedSeq: Int64
    var prevHash: String

    init(after seq: Int64 = 0, hash: String = AuditLog.genesisHash) {
        expectedSeq = seq + 1
        prevHash = hash
    }

    /// The columns every walk selects, in this order.
    static let columns = "seq, at_ms, actor, action, object, detail, prev_hash, hash"

    /// The problem with this row, if any; the walk moves on either way (to the stored hash).
    mutating func check(_ row: Row) -> (seq: Int64, problem: String)? {
        let seq: Int64 = row[0]
        let stored: String = row[7]
        let linked: String = row[6]
        defer { expectedSeq = seq + 1; prevHash = stored }
        if seq != expectedSeq { return (expectedSeq, "row \(expectedSeq) is missing (next row is \(seq))") }
        if linked != prevHash { return (seq, "row \(seq) does not link to row \(seq - 1)") }
        if AuditLog.hash(prev: linked, seq: seq, atMs: row[1], actor: row[2], action: row[3], object: row[4], detail: row[5]) != stored {
            return (seq, "row \(seq) was altered (hash mismatch)")
        }
        return nil
    }
}
