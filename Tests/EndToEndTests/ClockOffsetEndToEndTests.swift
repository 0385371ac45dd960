import CustodyAPI
import Foundation
import Testing

/// Attribution issue, item 1: a camera's clock offset from evidence that agrees; a clock glitch
/// is flagged, not believed; a clerk sets or clears a docking's offset and its clips are judged
/// again at once. Times are relative to the clock, so the suite runs on any date.
@Suite("Camera clock offsets end to end", .serialized)
struct ClockOffsetEndToEndTests {
    typealias L = LedgerEndToEndTests
    typealias M = MatchingEndToEndTests

    /// A registered camera out with officer 010203 since ten hours ago.
    static func station(extraConfig: String = "") throws -> DaemonHarness {
        let harness = try DaemonHarness(extraConfig: extraConfig)
        try harness.start()
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康", "--model", "K1"])
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203", "--at", L.wall(Date().addingTimeInterval(-10 * 3600))])
        return harness
    }

    @Test("one future-dated file leaves the camera's other clips on their officer, on time, without clock-drift; it is flagged time-implausible")
    func oneGlitch() throws {
        let harness = try Self.station()
        let now = Date()
        let glitch = M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(2.2 * 86_400), seq: 4)
        let files: [(String, [UInt8])] = [
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-8 * 3600), seq: 1), [1]),
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-6 * 3600), seq: 2), [2]),
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-3 * 3600), seq: 3), [3]),
            (glitch, [4]),
        ]
        try M.dock(harness, folder: "cam1", files: files)
        let clips = try harness.clips()
        let good = clips.filter { !$0.sourcePath.hasSuffix((glitch as NSString).lastPathComponent) }
        #expect(good.count == 3)
        for clip in good {
            #expect(clip.officerBadge == "010203" && !clip.late, "\(clip.sourcePath): \(clip.flags)")
            #expect(Set(clip.flags).isDisjoint(with: ["clock-drift", "no-handover", "time-implausible", "late"]), "\(clip.sourcePath): \(clip.flags)")
        }
        let bad = try #require(clips.first { $0.sourcePath.hasSuffix((glitch as NSString).lastPathComponent) })
        #expect(bad.flags.contains("time-implausible") && !bad.flags.contains("clock-drift"), "\(bad.flags)")
        let dump = try #require(try harness.dumps().first)
        let shown = try harness.ctlJSON(["dumps", "show", "\(dump.id)"], as: DumpItem.self)
        #expect(shown.clock?.basis == "newest-agreeing" && shown.clock?.outliers == 1, "\(String(describing: shown.clock))")
        #expect(shown.clock?.offsetSeconds.map { $0 < 0 } == true, "the newest believable file was recorded before the docking")
        let text = String(decoding: try harness.ctl(["dumps", "show", "\(dump.id)"], env: ["LANG": "zh_CN.UTF-8"]).stdout, as: UTF8.self)
        #expect(text.contains("时钟偏差") && text.contains("1 个文件时间异常"), "\(text)")
        harness.stop()
    }

    @Test("a clerk sets a docking's offset and clears it: clips are re-judged at once, each change audited with the old and new values")
    func clerkSetsAndClears() throws {
        let harness = try Self.station()
        let now = Date()
        let files: [(String, [UInt8])] = [
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-5 * 3600), seq: 1), [1]),
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-2 * 3600), seq: 2), [2]),
        ]
        try M.dock(harness, folder: "cam1", files: files)
        let dumpID = try #require(try harness.dumps().first?.id)
        #expect(try harness.clips().allSatisfy { !$0.flags.contains("clock-drift") })

        // The clerk learns the camera ran 20 minutes fast.
        let refused = try harness.ctl(["dumps", "clock-offset", "\(dumpID)", "--offset", "+20m", "--reason", " "])
        #expect(refused.status == 1 && String(decoding: refused.stderr, as: UTF8.self).contains("reason"))
        let report = try harness.ctlJSON(["dumps", "clock-offset", "\(dumpID)", "--offset", "+20m", "--reason", "设备时间快20分钟，经核实"],
                                         as: ClipChangeReport.self)
        #expect(report.clips == 2 && report.rejudged == 2)
        #expect(report.dump?.clock?.basis == "clerk" && report.dump?.clock?.offsetSeconds == 1200)
        var clips = try harness.clips()
        #expect(clips.allSatisfy { $0.flags.contains("clock-drift") && $0.clockOffsetSeconds == 1200 })
        for clip in clips {
            let corrected = try #require(clip.correctedRecordedAt)
            let recorded = try #require(clip.recordedAt)
            #expect(abs(recorded.timeIntervalSince(corrected) - 1200) < 1)
        }
        let detail = try harness.ctlJSON(["clips", "show", clips[0].sha256], as: ClipDetail.self)
        #expect(detail.audit.contains { $0.action == "clip.rematch" && $0.detail.contains("correctedWas") })
        let offsetAudit = try IngestEndToEndTests.sqlite(harness, "SELECT detail FROM audit WHERE action = 'dump.clock-offset'")
        #expect(offsetAudit.contains("\"offset\":\"1200.0\"") && offsetAudit.contains("设备时间快20分钟"), "\(offsetAudit)")

        // Cleared: the camera's clock taken as right again.
        _ = try harness.ctlJSON(["dumps", "clock-offset", "\(dumpID)", "--clear", "--reason", "误判，撤销"], as: ClipChangeReport.self)
        clips = try harness.clips()
        #expect(clips.allSatisfy { !$0.flags.contains("clock-drift") && $0.clockOffsetSeconds == nil })
        let device = try harness.ctlJSON(["devices", "show", "A7K2931"], as: DeviceDetail.self)
        #expect(device.dockings.last?.clockBasis == "cleared")
        #expect(try harness.ctl(["dumps", "clock-offset", "99", "--clear", "--reason", "x"]).status == 1)
        try AttributionEndToEndTests.expectIntact(harness)
        harness.stop()
    }

    @Test("the camera's clock file decides its offset; a camera whose profile names one it lacks is a dump issue, its offset taken from its names")
    func clockFile() throws {
        let harness = try Self.station(extraConfig: "[[device_profile]]\nbrand = \"海康\"\nclock_file = \"TIME.TXT\"")
        let now = Date()
        let fast: TimeInterval = 600
        try M.dock(harness, folder: "cam1", files: [
            ("TIME.TXT", Array((L.wall(now.addingTimeInterval(fast)) + "\r\n").utf8)),
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-2 * 3600 + fast), seq: 1), [1]),
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-3600 + fast), seq: 2), [2]),
        ])
        let first = try #require(try harness.dumps().first)
        #expect(first.clock?.basis == "clock-file" && first.clock?.offsetSeconds.map { abs($0 - fast) < 60 } == true, "\(String(describing: first.clock))")
        #expect(try harness.clips().allSatisfy { $0.flags.contains("clock-drift") && $0.officerBadge == "010203" && !$0.late })

        try M.dock(harness, folder: "cam2", files: [
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(-3 * 3600), seq: 3), [3]),
        ])
        let second = try #require(try harness.dumps().first { $0.mountPoint.hasSuffix("cam2") })
        let issue = try #require(second.issues.first { $0.kind == "clock-file-missing" }, "\(second.issues)")
        #expect(issue.message.contains("TIME.TXT") && second.clock?.basis == "newest-agreeing")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'file.clock-file-missing'") == "1")
        harness.stop()
    }
}
