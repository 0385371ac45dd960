import CustodyCore
import Foundation
import GRDB
import Testing
@testable import CustodyCatalog

/// The queries the performance issue times at a million clips, checked with `EXPLAIN QUERY
/// PLAN` to use the indexes of the `v6-catalog-scale` migration. The catalog never runs ANALYZE,
/// so SQLite plans from the schema alone: the plan on seven clips is the plan on a million.
@Suite("The catalog's queries use its indexes")
struct CatalogQueryPlanTests {
    static func plan(_ catalog: Catalog, _ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> String {
        try catalog.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
                .joined(separator: "\n")
        }
    }

    static func plan(_ catalog: Catalog, _ filter: ClipFilter) throws -> String {
        let (sql, arguments) = Catalog.query(filter)
        return try plan(catalog, sql, arguments)
    }

    @Test("one officer's month is a range of clip_officer_recorded, sorting only that officer's clips")
    func officerMonth() throws {
        let s = try FilterStation()
        let plan = try Self.plan(s.catalog, ClipFilter(officerBadge: "010001", recordedFrom: FilterStation.at("2026-10-01 00:00"),
                                                       recordedBefore: FilterStation.at("2026-11-01 00:00"), hidden: [.privacy], limit: 100))
        #expect(plan.contains("SEARCH c USING INDEX clip_officer_recorded (officer_badge=? AND <expr>>? AND <expr><?)"), "\(plan)")
        #expect(plan.contains("SEARCH e USING INDEX confidentiality_event_target"), "\(plan)")
        #expect(!plan.contains("SCAN c"), "\(plan)")
    }

    @Test("the unfiltered list and pages after a clip walk clip_ingest_order without sorting")
    func ingestOrder() throws {
        let s = try FilterStation()
        let first = try Self.plan(s.catalog, ClipFilter(limit: 100))
        #expect(first.contains("SCAN c USING INDEX clip_ingest_order") && !first.contains("TEMP B-TREE"), "\(first)")
        let next = try Self.plan(s.catalog, ClipFilter(afterSHA256: s.hashes["c4"], limit: 100))
        #expect(next.contains("SEARCH c USING INDEX clip_ingest_order (ingested_at>?)") && !next.contains("TEMP B-TREE"), "\(next)")
    }

    @Test("a month, a device, a case, late only and a flag each use their index")
    func otherFilters() throws {
        let s = try FilterStation()
        let month = try Self.plan(s.catalog, ClipFilter(recordedFrom: FilterStation.at("2026-10-01 00:00"),
                                                        recordedBefore: FilterStation.at("2026-11-01 00:00")))
        #expect(month.contains("SEARCH c USING INDEX clip_recorded (<expr>>? AND <expr><?)"), "\(month)")
        #expect(try Self.plan(s.catalog, ClipFilter(deviceSerial: "DEV1")).contains("SEARCH c USING INDEX clip_device_ingest (device_serial=?)"))
        #expect(try Self.plan(s.catalog, ClipFilter(caseNumber: "A-2026-001")).contains("SEARCH c USING INDEX clip_case (case_number=?)"))
        let late = try Self.plan(s.catalog, ClipFilter(lateOnly: true))
        #expect(late.contains("SCAN c USING INDEX clip_late") && !late.contains("TEMP B-TREE"), "\(late)")
        let flag = try Self.plan(s.catalog, ClipFilter(flag: "no-handover"))
        #expect(flag.contains("SEARCH f USING PRIMARY KEY (flag=?)") && !flag.contains("TEMP B-TREE"), "\(flag)")
        let deviceFlag = try Self.plan(s.catalog, ClipFilter(deviceSerial: "DEV1", flag: "no-handover"))
        #expect(deviceFlag.contains("SEARCH c USING INDEX clip_device_ingest (device_serial=?)")
                && deviceFlag.contains("SEARCH f USING COVERING INDEX clip_flag_clip (clip_sha256=? AND flag=?)"), "\(deviceFlag)")
    }

    @Test("a month's report is a range of clip_recorded")
    func report() throws {
        let s = try FilterStation()
        let plan = try Self.plan(s.catalog, Catalog.reportGroupsSQL, [0, 0, 0, 1])
        #expect(plan.contains("SEARCH c USING INDEX clip_recorded (<expr>>? AND <expr><?)") && !plan.contains("SCAN c"), "\(plan)")
    }

    @Test("the deadline watch reads recent handovers only, probes dumps and clips per camera, and counts unannotated clips from an index")
    func deadlines() throws {
        let s = try FilterStation()
        let handovers = try Self.plan(s.catalog, Catalog.overdueHandoversSQL, [0])
        #expect(handovers.contains("SEARCH h USING INDEX handover_settled (<expr>>?)"), "\(handovers)")
        #expect(handovers.contains("SEARCH d USING COVERING INDEX dump_device_started (device_serial=? AND started_at>?)"), "\(handovers)")
        #expect(handovers.contains("SEARCH c USING COVERING INDEX clip_device_ingest (device_serial=? AND ingested_at>?)"), "\(handovers)")
        let unannotated = try Self.plan(s.catalog, Catalog.unannotatedSQL, [0])
        #expect(unannotated.contains("SCAN c USING COVERING INDEX clip_unannotated"), "\(unannotated)")
        let queue = try Self.plan(s.catalog, Catalog.discQueueSQL)
        #expect(queue.contains("SEARCH c USING INDEX clip_retention_class (retention_class=?)"), "\(queue)")
    }

    @Test("status and clips show do not scan: clip totals from clip_total, a week's bytes and a clip's audit rows from indexes")
    func statusAndShow() throws {
        let s = try FilterStation()
        let bytes = try Self.plan(s.catalog, Catalog.bytesIngestedSQL, [0])
        #expect(bytes.contains("SEARCH clip USING COVERING INDEX clip_ingest_order (ingested_at>?)"), "\(bytes)")
        let audit = try Self.plan(s.catalog, Catalog.auditOfObjectSQL, ["clip:x", 10])
        #expect(audit.contains("SEARCH audit USING INDEX audit_object (object=?)"), "\(audit)")
        let prefix = try Self.plan(s.catalog, Catalog.clipByPrefixSQL, ["0000", "0000g"])
        #expect(prefix.contains("SEARCH clip USING INDEX sqlite_autoindex_clip_1 (sha256>? AND sha256<?)"), "\(prefix)")
        let c1 = s.hashes["c1"]!
        #expect(try s.catalog.clip(matching: c1)?.sha256 == c1)
        #expect(try s.catalog.clip(matching: c1.uppercased())?.sha256 == c1)
        #expect(try s.catalog.clip(matching: String(c1.prefix(12))) == nil, "c1…c7 share their first 12 digits")
        let counted = try s.catalog.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM clip") }
        #expect(try s.catalog.clipCount() == counted)
    }
}
