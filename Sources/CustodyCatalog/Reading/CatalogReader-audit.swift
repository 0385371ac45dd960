import CustodyCore
import Foundation
import GRDB

extension CatalogReader {
    /// Audit rows as this reader may see them.
    public struct AuditRows: Sendable {
        public var entries: [AuditEntry]
        /// Rows whose object and detail were withheld (about a hidden clip or case).
        public var withheld: Int
        /// Rows about a confidential clip or case shown in full (a cleared look, to be audited).
        public var confidentialShown: Int
    }

    /// Audit rows matching `filter`. A row about a hidden clip or case (its object, or a detail
    /// naming the clip's hash or the case) keeps its place, time, actor, action and hash, so the
    /// log still reads as one chain; its object and detail are withheld.
    public func auditEntries(_ filter: AuditFilter) throws -> AuditRows {
        let rows = try catalog.auditEntries(filter)
        let all = try catalog.confidentialTargets()
        guard !all.clips.isEmpty || !all.cases.isEmpty else { return AuditRows(entries: rows, withheld: 0, confidentialShown: 0) }
        let withheld = try self.withheld()
        var result = AuditRows(entries: [], withheld: 0, confidentialShown: 0)
        for var row in rows {
            if Self.concerns(row, clips: withheld.clips.keys, cases: withheld.cases.keys) {
                row.object = row.object.hasPrefix("clip:") ? "clip:" + Self.withheld : row.object.hasPrefix("case:") ? "case:" + Self.withheld : row.object
                row.detail = #"{"withheld":"confidential"}"#
                result.withheld += 1
            } else if Self.concerns(row, clips: all.clips.keys, cases: all.cases.keys) {
                result.confidentialShown += 1
            }
            result.entries.append(row)
        }
        return result
    }

    static func concerns(_ row: AuditEntry, clips: some Collection<String>, cases: some Collection<String>) -> Bool {
        for hash in clips where row.object == "clip:" + hash || row.object.contains(hash) || row.detail.contains(hash) { return true }
        for number in cases where row.object == "case:" + number || row.detail.contains(#""case":"\#(number)""#) { return true }
        return false
    }
}

extension Catalog {
    /// Every clip and case with a confidentiality flag in force: a clip's set holds its own flags
    /// and its case's; a case's set its own.
    public func confidentialTargets() throws -> (clips: [String: Set<Confidentiality>], cases: [String: Set<Confidentiality>]) {
        try pool.read { db in
            let active = try Row.fetchAll(db, sql: """
                SELECT e.target, e.flag FROM confidentiality_event e
                WHERE e.action = 'add' AND e.id = (SELECT max(id) FROM confidentiality_event WHERE target = e.target AND flag = e.flag)
                """)
            var clips: [String: Set<Confidentiality>] = [:]
            var cases: [String: Set<Confidentiality>] = [:]
            for row in active {
                let target: String = row["target"]
                guard let flag = Confidentiality(rawValue: row["flag"]) else { continue }
                if target.hasPrefix("clip:") {
                    clips[String(target.dropFirst(5)), default: []].insert(flag)
                } else if target.hasPrefix("case:") {
                    cases[String(target.dropFirst(5)), default: []].insert(flag)
                }
            }
            for (number, flags) in cases {
                for hash in try String.fetchAll(db, sql: "SELECT sha256 FROM clip WHERE case_number = ?", arguments: [number]) {
                    clips[hash, default: []].formUnion(flags)
                }
            }
            return (clips, cases)
        }
    }
}
