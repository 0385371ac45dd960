import Foundation
import GRDB

/// One pass over the audit log from genesis: every row's link and hash checked, every row dated
/// before its predecessor noted (time only moves forward in the log), and every row image the
/// chain carries replayed into the state it implies (`ReplayState`).
struct ChainReplay {
    /// How many findings of each kind are kept in full (all are counted).
    static let keep = 20

    var state = ReplayState()
    var rows: Int64 = 0
    var head = AuditLog.genesisHash
    /// The first broken link or altered row; the walk goes on replaying after it, so the rows
    /// that disagree are still named.
    var chainProblem: (seq: Int64, problem: String)?
    var clockSteps: [ClockStep] = []
    var clockStepCount = 0
    var findings: [BoundMismatch] = []
    var findingCount = 0
    /// The RFC 6962 tree over the rows' hashes, with the roots at the sizes asked for (stored
    /// checkpoints, signed heads kept outside the catalog), from the same pass.
    var merkle: MerkleScan

    /// Walks the whole log inside the caller's read transaction.
    static func run(_ db: Database, prefixes: Set<Int> = []) throws -> ChainReplay {
        var replay = ChainReplay(merkle: MerkleScan(prefixes: prefixes))
        var links = ChainLinks()
        var prevAt: Int64?
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(ChainLinks.columns) FROM audit ORDER BY seq")
        while let row = try cursor.next() {
            let seq: Int64 = row[0]
            let atMs: Int64 = row[1]
            let action: String = row[3]
            let detail: String = row[5]
            let stored: String = row[7]
            let problem = links.check(row)
            if replay.chainProblem == nil {
                if let problem {
                    replay.chainProblem = problem
                } else {
                    replay.rows = seq
                    replay.head = stored
                }
            }
            if let prevAt, atMs < prevAt {
                replay.clockStepCount += 1
                if replay.clockSteps.count < keep {
                    replay.clockSteps.append(ClockStep(seq: seq, at: Date(timeIntervalSince1970: Double(atMs) / 1000),
                                                       secondsBack: Double(prevAt - atMs) / 1000))
                }
            }
            replay.merkle.append(leafData: Array(stored.utf8))
            replay.apply(seq: seq, action: action, detail: detail)
            prevAt = max(prevAt ?? atMs, atMs)
        }
        return replay
    }

    /// Takes the row images of one event into the state.
    mutating func apply(seq: Int64, action: String, detail: String) {
        let bytes = Array(detail.utf8)
        switch ImageScanner.images(in: bytes) {
        case .none:
            return
        case .unreadable:
            note(BoundMismatch(table: "audit", key: String(seq), seq: seq,
                               message: "row \(seq) (\(action)) carries rows in a form no writer makes; they were not replayed"))
        case .images(let images):
            let declared = BoundEvents.tables(for: action)
            for image in images {
                guard let table = BoundTable.byName[image.table] else {
                    note(BoundMismatch(table: image.table, key: String(decoding: image.key, as: UTF8.self), seq: seq,
                                       message: "row \(seq) (\(action)) carries a row of \(image.table), which is not a bound table"))
                    continue
                }
                if !declared.contains(table) {
                    note(BoundMismatch(table: table.name, key: String(decoding: image.key, as: UTF8.self), seq: seq,
                                       message: "row \(seq) (\(action)) carries a \(table.noun) row, which that kind of event never changes"))
                }
                let digest = ReplayState.digest(image.row)
                state.tables[table.name, default: ReplayState.Rows()]
                    .set(image.key, kind: table.keyKind, ReplayState.Entry(seq: seq, digest: digest))
            }
        }
    }

    mutating func note(_ finding: BoundMismatch) {
        findingCount += 1
        if findings.count < Self.keep { findings.append(finding) }
    }
}

/// A row of the audit log dated before the row it follows: the station clock was set back.
public struct ClockStep: Sendable, Equatable, Codable {
    public var seq: Int64
    public var at: Date
    public var secondsBack: Double
}
