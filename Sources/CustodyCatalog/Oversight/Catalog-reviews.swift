import CustodyCore
import Foundation
import GRDB

/// A spot-check sample and what the reviewers found.
public struct ReviewSample: Sendable, Equatable, Codable {
    public struct Item: Sendable, Equatable, Codable {
        public var ordinal: Int
        public var subjectKey: String
        /// pass or problem; nil while not reviewed.
        public var outcome: String?
        public var note: String?
        public var reviewer: String?
        public var reviewedAt: Date?
    }
    public var id: Int64
    public var period: String
    /// clips or officers.
    public var subject: String
    public var ratio: Double
    public var seed: UInt64
    public var population: Int
    public var drawnBy: String
    public var drawnAt: Date
    public var items: [Item]
    /// Which draw of its period and subject this is (1 = the first), and how many there are: a
    /// period drawn again and again until a sample pleases shows as many draws.
    public var draw = 1
    public var drawsOfPeriod = 1
}

extension Catalog {
    /// Draws and records a sample: the seed is stored, so the draw can be repeated by anyone.
    /// Draws and records a sample. The seed comes from the daemon; `repeating` draws again with
    /// the seed of an earlier draw of the same period and subject (anyone may check a draw), and
    /// is refused for any other seed, so no one picks the seed that gives the sample they want.
    public func drawReviewSample(period: String, subject: String, ratio: Double, seed: UInt64, repeating: Bool = false,
                                 from: Date, to: Date, actor: String) throws -> ReviewSample {
        try pool.write { db in
            if repeating, try Bool.fetchOne(db, sql: "SELECT 1 FROM review_sample WHERE period = ? AND subject = ? AND seed = ?",
                                            arguments: [period, subject, Int64(bitPattern: seed)]) != true {
                throw LedgerError("seed-not-drawn", "no earlier draw of \(period) (\(subject)) used seed \(seed); a seed only repeats an earlier draw, new draws take the daemon's seed",
                                  zh: "\(period)（\(subject)）没有用过种子 \(seed) 的抽查；种子只能用于重现已有抽查，新的抽查由系统生成种子")
            }
            let window: [any DatabaseValueConvertible] = [from.timeIntervalSince1970, to.timeIntervalSince1970]
            let time = "coalesce(corrected_recorded_at, recorded_at, ingested_at)"
            let population = subject == "officers"
                ? try String.fetchAll(db, sql: "SELECT DISTINCT officer_badge FROM clip WHERE officer_badge IS NOT NULL AND \(time) >= ? AND \(time) < ?",
                                      arguments: StatementArguments(window))
                : try String.fetchAll(db, sql: "SELECT sha256 FROM clip WHERE \(time) >= ? AND \(time) < ?", arguments: StatementArguments(window))
            let picked = ReviewSampler.sample(population, ratio: ratio, seed: seed)
            try db.execute(sql: """
                INSERT INTO review_sample (period, subject, ratio, seed, population, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [period, subject, ratio, Int64(bitPattern: seed), population.count, actor, Date().timeIntervalSince1970])
            let id = db.lastInsertedRowID
            for (index, key) in picked.enumerated() {
                try db.execute(sql: "INSERT INTO review_item (sample_id, ordinal, subject_key) VALUES (?, ?, ?)",
                               arguments: [id, index + 1, key])
            }
            try AuditLog.append(db, actor: actor, action: "review.sample", object: "review:\(id)",
                                detail: ["period": period, "subject": subject, "ratio": String(ratio), "seed": String(seed),
                                         "population": String(population.count), "drawn": String(picked.count),
                                         "draw": String(try Self.drawNumber(id: id, period: period, subject: subject, db: db)),
                                         "repeat": repeating ? "yes" : "no"])
            return try Self.reviewSample(id: id, db: db)!
        }
    }

    public func recordReviewFinding(sampleID: Int64, ordinal: Int, outcome: String, note: String, actor: String) throws -> ReviewSample {
        try pool.write { db in
            guard let sample = try Self.reviewSample(id: sampleID, db: db) else {
                throw LedgerError("unknown-sample", "no review sample \(sampleID)", zh: "没有编号为 \(sampleID) 的抽查")
            }
            guard let item = sample.items.first(where: { $0.ordinal == ordinal }) else {
                throw LedgerError("unknown-item", "sample \(sampleID) has items 1–\(sample.items.count); there is no item \(ordinal)",
                                  zh: "抽查 \(sampleID) 只有第 1–\(sample.items.count) 项")
            }
            guard outcome == "pass" || outcome == "problem" else {
                throw LedgerError("bad-outcome", "outcome must be pass or problem", zh: "结论须为 pass（合格）或 problem（有问题）")
            }
            if outcome == "problem" && note.trimmingCharacters(in: .whitespaces).isEmpty {
                throw LedgerError("note-required", "a problem needs a note saying what was found", zh: "发现问题时须填写说明")
            }
            try db.execute(sql: """
                INSERT INTO review_finding (sample_id, ordinal, outcome, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [sampleID, ordinal, outcome, note, actor, Date().timeIntervalSince1970])
            try AuditLog.append(db, actor: actor, action: "review.finding", object: "review:\(sampleID)",
                                detail: ["item": String(ordinal), "subject": item.subjectKey, "outcome": outcome, "note": note])
            return try Self.reviewSample(id: sampleID, db: db)!
        }
    }

    public func reviewSamples() throws -> [ReviewSample] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM review_sample ORDER BY id").compactMap { try Self.reviewSample(id: $0, db: db) }
        }
    }

    public func reviewSample(id: Int64) throws -> ReviewSample? {
        try pool.read { db in try Self.reviewSample(id: id, db: db) }
    }

    static func reviewSample(id: Int64, db: Database) throws -> ReviewSample? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM review_sample WHERE id = ?", arguments: [id]) else { return nil }
        let items = try Row.fetchAll(db, sql: """
            SELECT i.ordinal, i.subject_key, f.outcome, f.note, f.recorded_by, f.recorded_at FROM review_item i
            LEFT JOIN review_finding f ON f.id = (SELECT max(id) FROM review_finding WHERE sample_id = i.sample_id AND ordinal = i.ordinal)
            WHERE i.sample_id = ? ORDER BY i.ordinal
            """, arguments: [id]).map {
            ReviewSample.Item(ordinal: $0["ordinal"], subjectKey: $0["subject_key"], outcome: $0["outcome"], note: $0["note"],
                              reviewer: $0["recorded_by"], reviewedAt: ($0["recorded_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
        }
        var sample = ReviewSample(id: id, period: row["period"], subject: row["subject"], ratio: row["ratio"],
                                  seed: UInt64(bitPattern: row["seed"] as Int64), population: row["population"],
                                  drawnBy: row["recorded_by"], drawnAt: Date(timeIntervalSince1970: row["recorded_at"]), items: items)
        sample.draw = try drawNumber(id: id, period: sample.period, subject: sample.subject, db: db)
        sample.drawsOfPeriod = try Int.fetchOne(db, sql: "SELECT count(*) FROM review_sample WHERE period = ? AND subject = ?",
                                                arguments: [sample.period, sample.subject]) ?? 1
        return sample
    }

    static func drawNumber(id: Int64, period: String, subject: String, db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM review_sample WHERE period = ? AND subject = ? AND id <= ?",
                         arguments: [period, subject, id]) ?? 1
    }
}
