import CustodyCore
import Foundation
import Testing
@testable import CustodyCatalog

/// A month of generated activity (20 officers, 20 clips each a day) through the real catalog,
/// reported, and checked against counts the test keeps itself (deadlines issue, "Reports").
@Suite("Compliance report over a generated month")
struct ComplianceReportTests {
    struct Expected { var clips = 0; var seconds = 0.0; var late = 0; var worst = 0.0; var onTime = 0; var overdue = 0; var flagged = 0 }

    @Test("a month of 20 officers × 20 clips a day: per-officer and per-unit figures agree with an independent count")
    func monthAgrees() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        var policy = MatchPolicy()
        policy.calendar = WorkingCalendar(timeZone: zone)
        // The whole month before last, so that every due time is past on whatever day this runs
        // (the date suites run it at month ends and holidays) and no recording is in the future.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let twoMonthsAgo = calendar.date(byAdding: .month, value: -2, to: Date())!
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: twoMonthsAgo))!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        let days = calendar.range(of: .day, in: .month, for: start)!.count
        let officers = (0..<20).map { String(format: "0102%02d", $0) }
        for (k, badge) in officers.enumerated() {
            try catalog.saveOfficer(Officer(badge: badge, name: "警员\(k)", unit: k < 10 ? "一大队" : "二大队", active: true),
                                    actor: "test", action: "officer.add")
            try catalog.saveDevice(Device(serial: "DEV\(k)", brand: "b", model: "m", unit: "u", keeperBadge: nil, status: .inService),
                                   actor: "test", action: "device.add", policy: policy)
            // Handovers on even days only: clips of odd days find none and are flagged no-handover.
            for day in stride(from: 0, to: days, by: 2) {
                let out = start.addingTimeInterval(Double(day) * 86_400 + 60)
                try catalog.checkout(serial: "DEV\(k)", badge: badge, at: out, offsite: false, note: "", actor: "test", policy: policy)
                try catalog.checkin(serial: "DEV\(k)", at: out.addingTimeInterval(86_000), actor: "test", policy: policy)
            }
        }
        var expected: [String: Expected] = [:]
        var annotatedOnTime: [(String, Double)] = [], annotatedLate: [(String, Double)] = []
        var seq = 0
        for day in 0..<days {
            let dump = try catalog.startDump(sourceKind: "drop", mountPoint: "/d/\(day)", mountSource: "s", fsType: "ext4",
                                             mountKey: "k\(day)", mountID: nil)
            var batch: [IngestedFile] = []
            for (k, badge) in officers.enumerated() {
                for j in 0..<20 {
                    seq += 1
                    let hash = String(format: "%064x", seq)
                    let recorded = start.addingTimeInterval(Double(day) * 86_400 + 3600 + Double(j) * 1800)
                    let duration = Double(60 + j)
                    let late = j % 4 == 0
                    let lateBy = 3600.0 + Double(k) * 60
                    let ingested = recorded.addingTimeInterval(duration + 24 * 3600 + (late ? lateBy : -3600))
                    var clip = Clip(sha256: hash, sizeBytes: 1000, mediaKind: "video", format: "mp4", recordedAt: recorded,
                                    durationSeconds: duration, timeSource: "container", deviceSerial: "DEV\(k)", officerBadge: badge,
                                    ingestedAt: ingested, dueAt: nil, late: false, flags: [], sourcePath: "c\(seq).mp4")
                    clip.claimedBadge = badge
                    batch.append(IngestedFile(dumpID: dump.id, sourcePath: RawPath("c\(seq).mp4"), sourceSize: 1000, sourceMtime: nil,
                                              clip: clip, grammar: nil))
                    var e = expected[badge, default: Expected()]
                    e.clips += 1
                    e.seconds += duration
                    if late { e.late += 1; e.worst = max(e.worst, lateBy) }
                    if day % 2 == 1 { e.flagged += 1 }
                    switch j % 3 {
                    case 0: e.onTime += 1; annotatedOnTime.append((hash, ingested.timeIntervalSince1970 + 3600))
                    case 1: e.overdue += 1; annotatedLate.append((hash, ingested.timeIntervalSince1970 + 5 * 86_400))
                    default: e.overdue += 1  // never annotated, and the month is long past its due times
                    }
                    expected[badge] = e
                }
            }
            try catalog.record(batch, policy: policy)
        }
        // Annotation times are set directly: the test plays the clerk at chosen moments.
        try catalog.pool.write { db in
            for (hash, at) in annotatedOnTime + annotatedLate {
                try db.execute(sql: "UPDATE clip SET annotated_at = ? WHERE sha256 = ?", arguments: [at, hash])
            }
        }
        let now = Date()
        let report = ComplianceReport(from: start, to: end, groups: try catalog.reportGroups(from: start, to: end, now: now), now: now)
        #expect(report.total.clips == 20 * 20 * days)
        #expect(report.officers.count == 20)
        for line in report.officers {
            let e = try #require(expected[line.key])
            #expect(line.clips == e.clips && line.late == e.late && line.worstLateSeconds == e.worst, "officer \(line.key)")
            #expect(abs(line.recordedSeconds - e.seconds) < 0.001, "officer \(line.key)")
            #expect(line.annotatedOnTime == e.onTime && line.annotationOverdue == e.overdue, "officer \(line.key)")
            #expect(line.flagged == e.flagged && line.flagCounts["no-handover"] == e.flagged, "officer \(line.key)")
            #expect(line.name == "警员\(Int(line.key.suffix(2))!)")
        }
        for (unit, range) in [("一大队", 0..<10), ("二大队", 10..<20)] {
            let line = try #require(report.units.first { $0.key == unit })
            let members = range.map { expected[officers[$0]]! }
            #expect(line.clips == members.reduce(0) { $0 + $1.clips })
            #expect(line.late == members.reduce(0) { $0 + $1.late })
            #expect(line.worstLateSeconds == members.map(\.worst).max())
        }
        #expect(report.total.latePercent == 25)
        #expect(report.devices.count == 20)
        // Counted in SQL groups or clip by clip, every line is the same.
        let plain = ComplianceReport(from: start, to: end, clips: try catalog.reportClips(from: start, to: end), now: now)
        for (grouped, single) in zip([report.total] + report.units + report.officers + report.devices,
                                     [plain.total] + plain.units + plain.officers + plain.devices) {
            var rounded = grouped
            rounded.recordedSeconds = single.recordedSeconds
            #expect(rounded == single && abs(grouped.recordedSeconds - single.recordedSeconds) < 0.001, "\(grouped.key)")
        }
        #expect(report.units.count == plain.units.count && report.officers.count == plain.officers.count)
        // A day's report holds that day only.
        let day3 = try catalog.reportGroups(from: start.addingTimeInterval(3 * 86_400), to: start.addingTimeInterval(4 * 86_400), now: now)
        #expect(day3.reduce(0) { $0 + $1.clips } == 400)
    }
}
