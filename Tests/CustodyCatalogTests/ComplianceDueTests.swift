import CustodyCore
import Foundation
import Testing
@testable import CustodyCatalog

/// The catalog's counting of a report (SQL groups) follows the rules the plain count follows:
/// only clips whose annotation was due count for the rate, and the late clips are listed one by one.
@Suite("Compliance report counts in the catalog")
struct ComplianceDueTests {
    @Test("clips annotated before a due time still ahead count for neither side of the rate; late clips are listed behind the count")
    func dueAndLate() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        var policy = MatchPolicy()
        policy.calendar = WorkingCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let now = Date()
        let dump = try catalog.startDump(sourceKind: "drop", mountPoint: "/d", mountSource: "s", fsType: "ext4", mountKey: "k", mountID: nil)
        var batch: [IngestedFile] = []
        for i in 0..<6 {
            let recorded = now.addingTimeInterval(Double(-3600 - i * 60))
            var clip = Clip(sha256: String(format: "%064x", i + 1), sizeBytes: 1000, mediaKind: "video", format: "mp4", recordedAt: recorded,
                            durationSeconds: 30, timeSource: "container", deviceSerial: "DEV1", officerBadge: "010203",
                            ingestedAt: now, dueAt: nil, late: false, flags: [], sourcePath: "c\(i).mp4")
            clip.claimedBadge = "010203"
            batch.append(IngestedFile(dumpID: dump.id, sourcePath: RawPath("c\(i).mp4"), sourceSize: 1000, sourceMtime: nil, clip: clip, grammar: nil))
        }
        try catalog.record(batch, policy: policy)
        // Two clips' windows closed long ago (one annotated in time), two are annotated early inside an open window,
        // two were uploaded late.
        try catalog.pool.write { db in
            let past = now.addingTimeInterval(-30 * 86_400).timeIntervalSince1970
            try db.execute(sql: "UPDATE clip SET annotation_due_at = ? WHERE sha256 IN (?, ?)", arguments: [past, String(format: "%064x", 1), String(format: "%064x", 2)])
            try db.execute(sql: "UPDATE clip SET annotated_at = ? WHERE sha256 = ?", arguments: [past - 60, String(format: "%064x", 1)])
            try db.execute(sql: "UPDATE clip SET annotated_at = ? WHERE sha256 IN (?, ?)", arguments: [now.timeIntervalSince1970, String(format: "%064x", 3), String(format: "%064x", 4)])
            try db.execute(sql: "UPDATE clip SET late = 1, late_seconds = ? WHERE sha256 IN (?, ?)", arguments: [7200, String(format: "%064x", 5), String(format: "%064x", 6)])
        }
        let from = now.addingTimeInterval(-86_400), to = now.addingTimeInterval(60)
        let grouped = ComplianceReport(from: from, to: to, groups: try catalog.reportGroups(from: from, to: to, now: now), now: now)
        let plain = ComplianceReport(from: from, to: to, clips: try catalog.reportClips(from: from, to: to), now: now)
        #expect(grouped.total.annotationDue == 2 && grouped.total.annotatedOnTime == 1 && grouped.total.annotationOverdue == 1)
        #expect(grouped.total == plain.total)
        let late = try catalog.lateClips(from: from, to: to)
        #expect(late.map(\.sha256) == [String(format: "%064x", 6), String(format: "%064x", 5)], "by officer, then recording time")
        #expect(grouped.total.late == late.count)
        #expect(late.allSatisfy { $0.lateSeconds == 7200 && $0.deviceSerial == "DEV1" })
    }
}
