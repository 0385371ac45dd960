import CustodyAPI
import Foundation
import Testing

/// Issue 19, item 3, end to end through the real daemon: routine retention outside the rules'
/// range needs a written reason, and a start under changed retention, calendar or deadline
/// settings judges the clips already stored again, audited as one bound event.
@Suite("Retention within the rules", .serialized)
struct RetentionRulesEndToEndTests {
    typealias L = LedgerEndToEndTests

    static func rewrite(_ harness: DaemonHarness, _ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: harness.configPath, encoding: .utf8)
        #expect(text.contains(old), "the config holds \(old)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: harness.configPath, atomically: true, encoding: .utf8)
    }

    /// A running daemon holding `clips` clips recorded 335 days ago: kept another month under 12
    /// months of retention, past their time under 10.
    static func station(extraConfig: String, clips count: Int, calendar: String? = nil) throws -> (DaemonHarness, [ClipItem]) {
        let harness = try DaemonHarness(extraConfig: extraConfig)
        if let calendar { try calendar.write(toFile: harness.dir.appending("cal.txt").path, atomically: true, encoding: .utf8) }
        try harness.start()
        _ = try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try MatchingEndToEndTests.dock(harness, folder: "old", files: RetentionEndToEndTests.files(count: count, start: Date().addingTimeInterval(-335 * 86_400)))
        let clips = try harness.clips()
        #expect(clips.count == count)
        return (harness, clips)
    }

    static func sql(_ harness: DaemonHarness, _ query: String) throws -> String { try IngestEndToEndTests.sqlite(harness, query) }

    @Test("retention_months outside 10–24 is refused at start naming the key, the range and what to do (in Chinese under LANG=zh); with retention_override_reason it is accepted, logged and audited")
    func outsideTheRangeNeedsAReason() throws {
        let harness = try DaemonHarness()
        try Self.rewrite(harness, "retention_months = 12", "retention_months = 6")
        let plain = ["LC_ALL": "", "LC_MESSAGES": ""]
        let english = try run(DaemonHarness.custodyd, ["--config", harness.configPath], env: plain.merging(["LANG": "C"]) { $1 })
        let said = String(decoding: english.stderr, as: UTF8.self)
        #expect(english.status == 1 && said.contains("[policy] retention_months is 6, outside the 10–24 months the rules allow")
                && said.contains("retention_override_reason"), "\(said)")
        let chinese = try run(DaemonHarness.custodyd, ["--config", harness.configPath], env: plain.merging(["LANG": "zh_CN.UTF-8"]) { $1 })
        let zh = String(decoding: chinese.stderr, as: UTF8.self)
        #expect(chinese.status == 1 && zh.contains("retention_months 为 6 个月，超出规定的 10–24 个月") && zh.contains("写明理由"), "\(zh)")
        #expect(!FileManager.default.fileExists(atPath: harness.catalogPath), "a refused config starts nothing")

        try Self.rewrite(harness, "retention_months = 6", "retention_months = 36\nretention_override_reason = \"本局规定：执法记录保存三年\"")
        try harness.start()
        defer { harness.stop() }
        #expect(try Self.sql(harness, "SELECT count(*) FROM audit WHERE action = 'policy.retention-override' AND detail LIKE '%本局规定：执法记录保存三年%' AND detail LIKE '%\"months\":\"36\"%'") == "1")
        #expect(harness.log().contains("routine retention outside the rules' range, by override"))
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
    }

    @Test("changing retention and the annotation window between starts judges the stored clips again: one bound event with the counts and both settings, replayed by audit verify; the clips show the new retain-until and become disposable; an unchanged restart judges nothing")
    func restartJudgesStoredClipsAgain() throws {
        let (harness, clips) = try Self.station(extraConfig: "[deadlines]\nannotation_working_days = 2", clips: 3)
        defer { harness.stop() }
        let sha = try #require(clips.first?.sha256)
        let before = try harness.ctlJSON(["clips", "show", sha], as: ClipDetail.self)
        let keptUntil = try #require(before.retention?.retainUntil)
        #expect(keptUntil > Date())
        #expect(try harness.ctl(["disposal", "propose"]).status == 1, "nothing is past 12 months")
        #expect(try Self.sql(harness, "SELECT count(*) FROM audit WHERE action = 'policy.rejudge'") == "0", "a fresh catalog just records its settings")

        harness.stop()
        try Self.rewrite(harness, "retention_months = 12", "retention_months = 10")
        try Self.rewrite(harness, "annotation_working_days = 2", "annotation_working_days = 5")
        try harness.start()
        #expect(try Self.sql(harness, "SELECT count(*) FROM audit WHERE action = 'policy.rejudge'") == "1", "one event for the whole change")
        let detail = try Self.sql(harness, "SELECT detail FROM audit WHERE action = 'policy.rejudge'")
        for part in ["\"clips\":\"3\"", "\"changed\":\"3\"", "\"retentionChanged\":\"3\"", "\"deadlineChanged\":\"3\"",
                     "retention_months=10", "retention_months=12", "annotation=5wd", "annotation=2wd"] {
            #expect(detail.contains(part), "\(part) in \(detail)")
        }
        #expect(harness.log().contains("clips judged again"))
        let after = try harness.ctlJSON(["clips", "show", sha], as: ClipDetail.self)
        let newUntil = try #require(after.retention?.retainUntil)
        #expect(newUntil < Date() && newUntil < keptUntil)
        #expect((after.clip.annotationDueAt ?? .distantPast) > (before.clip.annotationDueAt ?? .distantFuture), "the annotation window grew")
        let shown = String(decoding: try harness.ctl(["clips", "show", sha], env: ["LANG": "zh_CN.UTF-8"]).stdout, as: UTF8.self)
        #expect(shown.contains("保存至：") && shown.contains("常规保存"), "\(shown)")
        #expect(try harness.ctl(["audit", "verify"]).status == 0, "the replay rebuilds the re-judged rows")
        let proposal = try harness.ctlJSON(["disposal", "propose"], as: DisposalItem.self)
        #expect(proposal.clips.count == 3, "the re-judged clips are past 10 months")

        harness.stop()
        try harness.start()
        #expect(try Self.sql(harness, "SELECT count(*) FROM audit WHERE action = 'policy.rejudge'") == "1", "same settings: nothing judged again")
        try AttributionEndToEndTests.expectIntact(harness)
    }

    @Test("a calendar changed while the daemon runs judges the stored clips again at once: one bound event with the counts, replayed by audit verify, and the annotation due time moves past the new holidays")
    func calendarChangeJudgesStoredClipsAgain() throws {
        let (harness, clips) = try Self.station(extraConfig: "[deadlines]\ncalendar = \"cal.txt\"\nannotation_working_days = 2\nscan_seconds = 1",
                                                clips: 3, calendar: "2020-10-01 holiday 旧假\n")
        defer { harness.stop() }
        let before = try harness.ctlJSON(["clips", "show", clips[0].sha256], as: ClipDetail.self)
        // Annotation is due two working days after the ingest: ten days of holiday from the day
        // after it (station time) move it past them.
        let ingested = before.clip.ingestedAt
        let day = DateFormatter()
        day.dateFormat = "yyyy-MM-dd"
        day.timeZone = TimeZone(identifier: "Asia/Shanghai")
        day.locale = Locale(identifier: "en_US_POSIX")
        let first = day.string(from: ingested.addingTimeInterval(86_400)), last = day.string(from: ingested.addingTimeInterval(10 * 86_400))
        try "2020-10-01 holiday 旧假\n\(first)..\(last) holiday 测试假期\n".write(toFile: harness.dir.appending("cal.txt").path, atomically: true, encoding: .utf8)
        #expect(waitUntil(timeout: 20) { (try? Self.sql(harness, "SELECT count(*) FROM audit WHERE action = 'policy.rejudge'")) == "1" },
                "no policy.rejudge after the calendar changed; log: \(harness.log().suffix(1500))")
        let detail = try Self.sql(harness, "SELECT detail FROM audit WHERE action = 'policy.rejudge'")
        #expect(detail.contains(#""clips":"3""#) && detail.contains(#""changed":"3""#), "\(detail.prefix(300))")
        let after = try harness.ctlJSON(["clips", "show", clips[0].sha256], as: ClipDetail.self)
        #expect((after.clip.annotationDueAt ?? .distantPast) > ingested.addingTimeInterval(10 * 86_400), "due after the holidays")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
    }

    @Test("long_term_store_months is honoured: a long-term clip past it is not disposable while its discs are unburned, and is proposed once both copies are verified")
    func longTermStoreMonthsHonoured() throws {
        let (harness, clips) = try Self.station(extraConfig: "[discs]\nmedia = \"cd\"\nmaker = \"李四\"\n[retention]\nlong_term_store_months = 10",
                                                clips: 2)
        defer { harness.stop() }
        let longTerm = try #require(clips.first?.sha256)
        _ = try L.ok(harness, ["retain", longTerm, "--reason", "obstruction"])
        let detail = try harness.ctlJSON(["clips", "show", longTerm], as: ClipDetail.self)
        #expect(detail.retention?.retentionClass == "long-term" && (detail.retention?.retainUntil ?? .distantFuture) < Date(),
                "the store copy's 10 months are over")
        let early = try harness.ctl(["disposal", "propose"])
        #expect(early.status == 1, "no disc yet: the only copy stays; the routine clip has 12 months")
        let set = try #require(try harness.ctlJSON(["discs", "plan", "--force"], as: DiscPlanResponse.self).sets.first)
        let burn = try harness.ctl(["discs", "burn", set.id])
        #expect(burn.status == 0, "\(String(decoding: burn.stdout + burn.stderr, as: UTF8.self))")
        #expect(try harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self).copies.map(\.state) == ["verified", "verified"])
        let proposal = try harness.ctlJSON(["disposal", "propose"], as: DisposalItem.self)
        #expect(proposal.clips == [longTerm], "both discs verified: the store copy of the long-term clip may go")
        try AttributionEndToEndTests.expectIntact(harness)
    }
}
