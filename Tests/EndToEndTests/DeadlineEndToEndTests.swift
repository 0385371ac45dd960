import CustodyAPI
import Foundation
import Glibc
import Testing

/// Deadlines issue, end to end: the live watch, alerts once, annotations and cases, reports.
@Suite("Deadlines end to end", .serialized)
struct DeadlineEndToEndTests {
    typealias L = LedgerEndToEndTests

    static func stationTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date)
    }

    @Test("a device checked in without a dump is listed before it is late, then raises exactly one alert (log, event, command, audit)")
    func deviceNotDumped() throws {
        let dir = try TempDir()
        let alertLog = dir.appending("alerts.jsonl").path
        let script = dir.appending("alert.sh").path
        try "#!/bin/sh\ncat >> \(alertLog)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let harness = try DaemonHarness(extraConfig: """
            [deadlines]
            scan_seconds = 1
            [alerts]
            command = ["\(script)"]
            """)
        try harness.start()
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931"])
        // Checked out almost 24 hours ago, back now, never docked: due in about 12 s.
        let out = Date().addingTimeInterval(-24 * 3600 + 12)
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203", "--at", Self.stationTime(out)])
        try L.ok(harness, ["devices", "checkin", "A7K2931", "--at", Self.stationTime(Date().addingTimeInterval(-2))])
        let before = try harness.ctlJSON(["deadlines"], as: DeadlinesResponse.self)
        let item = try #require(before.items.first { $0.deviceSerial == "A7K2931" })
        #expect(item.kind == "device-not-dumped" && item.status == "due-soon" && item.officerName == "张三")
        #expect(item.lateSeconds == 0)
        let table = String(decoding: try harness.ctl(["deadlines"], env: ["LANG": "zh_CN.UTF-8"]).stdout, as: UTF8.self)
        #expect(table.contains("归还未导入") && table.contains("即将到期") && table.contains("A7K2931"))
        #expect(try !FileManager.default.fileExists(atPath: alertLog) || String(contentsOfFile: alertLog, encoding: .utf8).isEmpty)

        // It becomes late: one alert, however many scans follow.
        let tap = try EventTap(socketPath: harness.socketPath)
        #expect(waitUntil(timeout: 40) {
            ((try? String(contentsOfFile: alertLog, encoding: .utf8)) ?? "").contains("device-not-dumped")
        })
        Thread.sleep(forTimeInterval: 4)
        let alerts = try String(contentsOfFile: alertLog, encoding: .utf8).split(separator: "\n")
        #expect(alerts.count == 1, "one alert, not one per scan: \(alerts)")
        let alert = try APICoding.decoder().decode(AlertItem.self, from: Data(alerts[0].utf8))
        #expect(alert.level == "overdue" && alert.deviceSerial == "A7K2931" && alert.officerBadge == "010203")
        #expect(alert.messageZh.contains("已归还但未导入"))
        tap.stop()
        let streamed = tap.text
        #expect(streamed.components(separatedBy: "\"type\":\"alert\"").count - 1 == 1, "one alert event on the stream")
        #expect(harness.log().contains("alert=device-not-dumped:handover:"))
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'alert.raised'") == "1")
        let after = try harness.ctlJSON(["deadlines"], as: DeadlinesResponse.self)
        #expect(after.items.first { $0.deviceSerial == "A7K2931" }?.status == "overdue")
        #expect(try harness.status().openAlerts?.count == 1)
        harness.stop()
        // A restart does not announce it again.
        try harness.start()
        Thread.sleep(forTimeInterval: 3)
        #expect(try String(contentsOfFile: alertLog, encoding: .utf8).split(separator: "\n").count == 1)
        harness.stop()
    }

    @Test("the holiday calendar is re-read without a restart; a bad file is refused whole and the previous one stays")
    func calendarReload() throws {
        let harness = try DaemonHarness(extraConfig: "[deadlines]\ncalendar = \"cal.txt\"\nscan_seconds = 1")
        let file = harness.dir.appending("cal.txt").path
        try "2026-10-01..2026-10-07 holiday 国庆节\n".write(toFile: file, atomically: true, encoding: .utf8)
        try harness.start()
        #expect(try harness.ctlJSON(["deadlines"], as: DeadlinesResponse.self).calendarYears == [2026])
        try "2027-02-30 holiday 不存在的日子\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(waitUntil(timeout: 15) { (try? harness.status())?.calendarProblem?.contains("calendar line 1") == true })
        #expect(try harness.ctlJSON(["deadlines"], as: DeadlinesResponse.self).calendarYears == [2026], "the previous calendar stays")
        try "2026-10-01..2026-10-07 holiday 国庆节\n2027-01-01 holiday 元旦\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(waitUntil(timeout: 15) { (try? harness.ctlJSON(["deadlines"], as: DeadlinesResponse.self))?.calendarYears == [2026, 2027] })
        #expect(try harness.status().calendarProblem == nil)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action IN ('calendar.refused', 'calendar.reload')") == "2")
        harness.stop()
    }

    @Test("annotations and cases: annotate links a clip to a case, each annotation is an audited row, closing starts the archive deadline")
    func annotateAndCases() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let fixture = CameraFixture.standard(clipCount: 3, start: CameraFixture.recentStart(), seed: 21)
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: fixture.clips.map { ($0.relativePath, $0.bytes) })
        let clip = try #require(try harness.clips().first)
        #expect(clip.annotationDueAt != nil && clip.annotatedAt == nil && clip.deadlineRule != nil)
        let unknown = try harness.ctl(["clips", "annotate", clip.sha256, "--case", "A-2026-1", "--category", "治安"])
        #expect(unknown.status == 1 && String(decoding: unknown.stderr, as: UTF8.self).contains("not registered"))
        // A case handler is a person in the ledger: an unknown one is refused.
        let stranger = try harness.ctl(["cases", "add", "A-2026-1", "--title", "某某寻衅滋事案", "--handler", "010203"])
        #expect(stranger.status == 1 && String(decoding: stranger.stderr, as: UTF8.self).contains("010203 is not in the ledger"))
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["cases", "add", "A-2026-1", "--title", "某某寻衅滋事案", "--handler", "010203"])
        try L.ok(harness, ["clips", "annotate", String(clip.sha256.prefix(12)), "--case", "A-2026-1", "--category", "治安案件",
                           "--place", "人民路", "--party", "李某", "--description", "现场处置"])
        try L.ok(harness, ["clips", "annotate", String(clip.sha256.prefix(12)), "--case", "A-2026-1", "--category", "治安案件",
                           "--place", "人民路12号", "--party", "李某", "--description", "现场处置（更正地点）"])
        let detail = try harness.ctlJSON(["clips", "show", clip.sha256], as: ClipDetail.self)
        #expect(detail.annotations.map(\.place) == ["人民路", "人民路12号"])
        #expect(detail.clip.caseNumber == "A-2026-1" && detail.clip.annotatedAt != nil)
        #expect(detail.audit.filter { $0.action == "clip.annotate" }.count == 2)
        let shown = String(decoding: try harness.ctl(["clips", "show", clip.sha256], env: ["LANG": "zh_CN.UTF-8"]).stdout, as: UTF8.self)
        #expect(shown.contains("人民路12号") && shown.contains("期限规则"))
        _ = try? run("sqlite3", [harness.catalogPath, "UPDATE annotation SET place = 'x'"])
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM annotation WHERE place = 'x'") == "0", "annotations are never edited")
        let closed = try harness.ctlJSON(["cases", "close", "A-2026-1", "--note", "判决生效"], as: CaseItem.self)
        #expect(closed.state == "closed" && closed.archiveDueAt != nil && closed.clipCount == 1)
        let twice = try harness.ctl(["cases", "close", "A-2026-1"])
        #expect(twice.status == 1)
        let archived = try harness.ctlJSON(["cases", "archive", "A-2026-1", "--note", "档案室 3 号柜"], as: CaseItem.self)
        #expect(archived.state == "archived")
        let late = try harness.ctl(["clips", "annotate", String(clip.sha256.prefix(12)), "--case", "A-2026-1", "--category", "x"])
        #expect(late.status == 1, "an archived case takes no new clips")
        let caseDetail = try harness.ctlJSON(["cases", "show", "A-2026-1"], as: CaseDetail.self)
        #expect(caseDetail.events.map(\.kind) == ["closed", "archived"] && caseDetail.clips.count == 1)
        harness.stop()
    }

    @Test("reports come as table, JSON, CSV and Chinese HTML with the audit head; spot checks are reproducible from the seed")
    func reportsAndReviews() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let fixture = CameraFixture.standard(clipCount: 5, start: CameraFixture.recentStart(), seed: 31)
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: fixture.clips.map { ($0.relativePath, $0.bytes) })
        let clips = try harness.clips()
        let times = clips.compactMap(\.recordedAt).sorted()
        let from = Self.stationTime(times.first!.addingTimeInterval(-60)), to = Self.stationTime(Date().addingTimeInterval(60))
        let report = try harness.ctlJSON(["report", "period", "--from", from, "--to", to], as: ComplianceReportItem.self)
        #expect(report.total.clips == clips.count && report.total.late == clips.filter(\.late).count, "\(report.total)")
        #expect(report.auditHead.count == 64)
        let html = String(decoding: try harness.ctl(["report", "period", "--from", from, "--to", to, "--html"]).stdout, as: UTF8.self)
        // Each report writes a checkpoint first, so the head printed is the one at its own making.
        #expect(html.contains("执法音像记录管理情况报表") && html.range(of: "审计链头：<code>[0-9a-f]{64}</code>", options: .regularExpression) != nil)
        let csv = String(decoding: try harness.ctl(["report", "period", "--from", from, "--to", to, "--csv"]).stdout, as: UTF8.self)
        #expect(csv.contains("合计,") && csv.contains("审计链头"))
        let table = try harness.ctl(["report", "period", "--from", from, "--to", to, "--by", "officer"])
        #expect(table.status == 0)
        let period = String(Self.stationTime(times.first!).prefix(7))
        let first = try harness.ctlJSON(["review", "sample", "--ratio", "0.4", "--period", period], as: ReviewItem.self)
        #expect(first.population == clips.count && first.items.count == Int((0.4 * Double(clips.count)).rounded(.up)))
        let again = try harness.ctlJSON(["review", "sample", "--ratio", "0.4", "--period", period, "--seed", "\(first.seed)"], as: ReviewItem.self)
        #expect(again.items.map(\.subjectKey) == first.items.map(\.subjectKey), "same seed, same sample")
        let noNote = try harness.ctl(["review", "record", "\(first.id)", "1", "--outcome", "problem"])
        #expect(noNote.status == 1)
        try L.ok(harness, ["review", "record", "\(first.id)", "1", "--outcome", "pass"])
        let done = try harness.ctlJSON(["review", "record", "\(first.id)", "2", "--outcome", "problem", "--note", "未标注地点"], as: ReviewItem.self)
        #expect(done.reviewed == 2 && done.passed == 1 && done.problems == 1)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'review.sample' AND detail LIKE '%\(first.seed)%'") == "2")
        harness.stop()
    }
}
