import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// The clips a dump found first (a clip seen again later keeps the offset of the docking that
    /// brought it in).
    static let clipsFirstFoundSQL = """
        SELECT c.* FROM clip c JOIN provenance p ON p.clip_sha256 = c.sha256
        WHERE p.dump_id = ? AND NOT EXISTS (SELECT 1 FROM provenance q WHERE q.clip_sha256 = p.clip_sha256 AND q.id < p.id)
        """

    /// A clerk sets (a number) or clears (nil: the camera's clock is taken as right) the clock
    /// offset of one docking (attribution issue, item 1). In one transaction: the dump, the
    /// offset of every clip it found first, those clips matched and judged again (each change a
    /// `clip.rematch` row), and one `dump.clock-offset` audit row with the old and new offset and
    /// basis, the reason and the clips, enough to rebuild the state from the chain.
    /// - Returns: the dump as changed, how many clips it found first and how many were re-judged.
    public func setClockOffset(dumpID: Int64, offsetSeconds: Double?, reason: String, actor: String, policy: MatchPolicy,
                               now: Date = Date()) throws -> (dump: Dump, clips: Int, rejudged: Int) {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM dump WHERE id = ?", arguments: [dumpID]) else {
                throw LedgerError("unknown-dump", "no dump \(dumpID); `custodyctl dumps list` shows them", zh: "没有编号为 \(dumpID) 的导入记录")
            }
            let old = Self.dump(from: row)
            let basis: ClockEstimate.Basis = offsetSeconds == nil ? .cleared : .clerk
            try db.execute(sql: "UPDATE dump SET clock_offset_seconds = ?, clock_basis = ? WHERE id = ?",
                           arguments: [offsetSeconds, basis.rawValue, dumpID])
            let clips = try String.fetchAll(db, sql: "SELECT sha256 FROM (\(Self.clipsFirstFoundSQL))", arguments: [dumpID])
            try db.execute(sql: """
                UPDATE clip SET clock_offset_seconds = ? WHERE sha256 IN (SELECT sha256 FROM (\(Self.clipsFirstFoundSQL)))
                """, arguments: [offsetSeconds, dumpID])
            try AuditLog.append(db, actor: actor, action: "dump.clock-offset", object: "dump:\(dumpID)",
                                detail: ["offset": offsetSeconds.map { String($0) } ?? "", "was": old.clockOffsetSeconds.map { String($0) } ?? "",
                                         "basis": basis.rawValue, "basisWas": old.clockBasis?.rawValue ?? "",
                                         "estimate": old.clockOffsetEstimate.map { String($0) } ?? "",
                                         "reason": reason, "clips": String(clips.count)],
                                rows: clips.map(BoundRow.clip))
            let rejudged = try Self.rematch(sql: Self.clipsFirstFoundSQL, arguments: [dumpID], actor: actor, policy: policy, now: now, db: db)
            let dump = try Row.fetchOne(db, sql: "SELECT * FROM dump WHERE id = ?", arguments: [dumpID]).map(Self.dump(from:)) ?? old
            return (dump, clips.count, rejudged)
        }
    }
}
