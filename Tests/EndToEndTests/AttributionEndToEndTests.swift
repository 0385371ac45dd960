import CustodyAPI
import Foundation
import Testing

/// Attribution issue, items 2–5 on the real daemon: time sources that disagree, implausible times
/// without a verdict, identity from identity files, clips of no known device, `clips correct` and
/// `clips reparse`. Times are relative to the clock, so the suite runs on any date.
@Suite("Attribution a clerk can trust end to end", .serialized)
struct AttributionEndToEndTests {
    typealias L = LedgerEndToEndTests
    typealias M = MatchingEndToEndTests

    /// Officers 010203 and 010204; A7K2931 out with 010203 since ten hours ago; B9K0001 registered.
    static func station(extraConfig: String = "") throws -> DaemonHarness {
        let harness = try DaemonHarness(extraConfig: extraConfig)
        try harness.start()
        for (badge, name) in [("010203", "张三"), ("010204", "李四")] {
            try L.ok(harness, ["officers", "add", badge, "--name", name, "--unit", "一中队"])
        }
        for serial in ["A7K2931", "B9K0001"] { try L.ok(harness, ["devices", "add", serial, "--brand", "海康", "--model", "K1"]) }
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203", "--at", L.wall(Date().addingTimeInterval(-10 * 3600))])
        return harness
    }

    static func byName(_ harness: DaemonHarness) throws -> [String: ClipItem] {
        Dictionary(try harness.clips().map { (($0.sourcePath as NSString).lastPathComponent.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func near(_ a: Date?, _ b: Date) -> Bool { a.map { abs($0.timeIntervalSince(b)) < 2 } ?? false }

    /// What `audit verify --json` says of the rows: a correction, a re-parse or a clock offset the
    /// replay registry (`BoundEvents`) forgot leaves a clip row the chain does not imply.
    struct Verified: Decodable { var valid: Bool; var boundRowsChecked: Int; var mismatchCount: Int; var problem: String? }

    static func expectIntact(_ harness: DaemonHarness, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verified = try harness.ctlJSON(["audit", "verify"], as: Verified.self)
        #expect(verified.valid && verified.mismatchCount == 0 && verified.boundRowsChecked > 0,
                "audit verify after the change: \(verified.problem ?? "") (\(verified.mismatchCount) rows differ)", sourceLocation: sourceLocation)
    }

    @Test("a local-as-UTC MP4 takes its name's time and is flagged; other disagreements are flagged; a 2010 clip has no late verdict until a clerk corrects its time")
    func timeSources() throws {
        let harness = try Self.station()
        let now = Date()
        let (t1, t2) = (now.addingTimeInterval(-5 * 3600).rounded, now.addingTimeInterval(-4 * 3600).rounded)
        let old = Date(timeIntervalSince1970: 1_262_304_000)  // 2010-01-01, a clock reset
        let shifted = M.name(badge: "010203", serial: "A7K2931", at: t1, seq: 1)
        let disagreeing = M.name(badge: "010203", serial: "A7K2931", at: t2, seq: 2)
        let reset = M.name(badge: "010203", serial: "A7K2931", at: old, seq: 3)
        try M.dock(harness, folder: "cam1", files: [
            // The camera wrote its Beijing wall clock into mvhd as if it were UTC: 8 h late.
            (shifted, MediaBytes.mp4(creation: t1.addingTimeInterval(8 * 3600), durationSeconds: 60, payloadBytes: 4000, seed: 1)),
            (disagreeing, MediaBytes.mp4(creation: t2.addingTimeInterval(40 * 60), durationSeconds: 60, payloadBytes: 4000, seed: 2)),
            (reset, MediaBytes.mp4(creation: old, durationSeconds: 60, payloadBytes: 4000, seed: 3)),
        ])
        let clips = try Self.byName(harness)
        let a = try #require(clips[(shifted as NSString).lastPathComponent])
        #expect(Self.near(a.recordedAt, t1) && a.timeSource == "file-name" && a.flags.contains("time-zone-shift"), "\(a)")
        #expect(a.times?.reason == "zone-shift" && Self.near(a.times?.container, t1.addingTimeInterval(8 * 3600)) && Self.near(a.times?.fileName, t1))
        #expect(a.officerBadge == "010203" && !a.late && !a.flags.contains("time-implausible"))
        let shown = String(decoding: try harness.ctl(["clips", "show", a.sha256]).stdout, as: UTF8.self)
        #expect(shown.contains("local time written as UTC"), "\(shown)")
        let b = try #require(clips[(disagreeing as NSString).lastPathComponent])
        #expect(b.flags.contains("time-sources-disagree") && b.times?.reason == "sources-disagree" && Self.near(b.recordedAt, t2.addingTimeInterval(2400)))

        let c = try #require(clips[(reset as NSString).lastPathComponent])
        #expect(c.flags.contains("time-implausible") && !c.late && c.dueAt == nil && c.deadlineRule == "time-implausible", "\(c)")
        #expect(try harness.ctlJSON(["clips", "list", "--late"], as: [ClipItem].self).isEmpty, "no late verdict on an implausible time")
        let zh = String(decoding: try harness.ctl(["clips", "show", c.sha256], env: ["LANG": "zh_CN.UTF-8"]).stdout, as: UTF8.self)
        #expect(zh.contains("不作判定"), "\(zh)")

        // The clerk checks the footage and corrects the time: the clip is judged at once.
        let fixed = now.addingTimeInterval(-3 * 3600).rounded
        try L.ok(harness, ["clips", "correct", c.sha256, "--recorded-at", L.wall(fixed), "--reason", "画面时间水印为当日，设备时钟曾复位"])
        let corrected = try #require(try harness.clips().first { $0.sha256 == c.sha256 })
        #expect(!corrected.flags.contains("time-implausible") && corrected.flags.contains("corrected"), "\(corrected.flags)")
        #expect(corrected.dueAt != nil && corrected.deadlineRule == "recording-end+24h" && corrected.officerBadge == "010203")
        #expect(Self.near(corrected.correctedRecordedAt, fixed) && Self.near(corrected.recordedAt, old), "the camera's claim stays visible")
        let detail = try harness.ctlJSON(["clips", "show", c.sha256], as: ClipDetail.self)
        #expect(detail.revisions?.first?.kind == "correct" && detail.audit.contains { $0.action == "clip.correct" && $0.detail.contains("\"clerkRecordedAtWas\":\"\"") })
        harness.stop()
    }

    /// A grammar for cameras whose names carry the time only (the serial is in sn.txt).
    static let timeOnlyGrammar = """
        [[grammar]]
        name = "badge-serial-time"
        pattern = "{badge}_{serial}_{yyyyMMddHHmmss}_{seq}[IMP].{ext}"
        [[grammar]]
        name = "time-only"
        pattern = "DCIM/{folder}/{yyyyMMddHHmmss}_{seq}[IMP].{ext}"
        """

    @Test("identity from sn.txt as key=value, two identity files that disagree, and a clip of no known device that takes its docking's handover")
    func identityFiles() throws {
        let harness = try Self.station(extraConfig: Self.timeOnlyGrammar)
        let now = Date()
        let stamp = { (t: Date) in L.wall(t, "yyyyMMddHHmmss") }
        try M.dock(harness, folder: "cam1", files: [
            ("sn.txt", Array("badge=010203\r\nserial=A7K2931\r\n".utf8)),
            ("DCIM/100MEDIA/\(stamp(now.addingTimeInterval(-3 * 3600)))_0001.MP4", [1]),
        ])
        var clips = try Self.byName(harness)
        let first = try #require(clips.values.first)
        #expect(first.deviceSerial == "A7K2931" && first.officerBadge == "010203" && !first.flags.contains("unparsed-name"), "\(first)")
        #expect(Set(first.flags).isDisjoint(with: ["no-handover", "device-unknown"]), "\(first.flags)")

        try M.dock(harness, folder: "cam2", files: [
            ("sn.txt", Array("010203\r\nA7K2931\r\n".utf8)),
            ("devinfo.txt", Array("警号=010299\r\n".utf8)),
            ("DCIM/100MEDIA/\(stamp(now.addingTimeInterval(-2 * 3600)))_0002.MP4", [2]),
        ])
        clips = try Self.byName(harness)
        let second = try #require(clips.values.first { $0.sourcePath.contains("0002") })
        #expect(second.flags.contains("identity-conflict") && second.deviceSerial == "A7K2931", "\(second)")
        let dump = try #require(try harness.dumps().first { $0.mountPoint.hasSuffix("cam2") })
        let issue = try #require(dump.issues.first { $0.kind == "identity-conflict" })
        #expect(issue.message.contains("010203") && issue.message.contains("010299"), "\(issue.message)")

        // 010204 took B9K0001 off-site and brought it back an hour ago; the camera's storage names no serial.
        try L.ok(harness, ["devices", "checkout", "B9K0001", "--officer", "010204", "--offsite", "--at", L.wall(now.addingTimeInterval(-30 * 3600))])
        try L.ok(harness, ["devices", "checkin", "B9K0001", "--at", L.wall(now.addingTimeInterval(-3600))])
        try M.dock(harness, folder: "cam3", files: [
            ("sn.txt", Array("010204\r\n".utf8)),
            ("DCIM/100MEDIA/\(stamp(now.addingTimeInterval(-26 * 3600)))_0003.MP4", [3]),
        ])
        let third = try #require(try harness.clips().first { $0.sourcePath.contains("0003") })
        #expect(third.deviceSerial == nil && third.officerBadge == "010204" && third.flags.contains("device-unknown"), "\(third)")
        #expect(third.deadlineRule == "checkin+24h" && !third.late, "the off-site handover keeps its check-in rule: \(third)")
        harness.stop()
    }

    @Test("a new [[grammar]] re-parses the clips it matches (clips reparse, audited, re-judged); a grammar that matches nothing says so")
    func reparse() throws {
        let harness = try Self.station()
        let now = Date()
        let names = [now.addingTimeInterval(-4 * 3600), now.addingTimeInterval(-2 * 3600)].map { "DCIM/REC/REC_\(L.wall($0, "yyyyMMddHHmmss"))_A7K2931_010203.MP4" }
        try M.dock(harness, folder: "cam1", files: names.enumerated().map { ($1, [UInt8($0 + 1)]) })
        #expect(try harness.clips().allSatisfy { $0.flags.contains("unparsed-name") && $0.deviceSerial == nil })

        let nothing = String(decoding: try harness.ctl(["clips", "reparse"]).stdout, as: UTF8.self)
        #expect(nothing.contains("no clip is read differently"), "\(nothing)")
        let missing = try harness.ctl(["clips", "reparse", "--grammar", "recorder-rec"])
        #expect(missing.status == 1 && String(decoding: missing.stderr, as: UTF8.self).contains("no grammar \"recorder-rec\""))

        harness.stop()
        try (try String(contentsOfFile: harness.configPath, encoding: .utf8) + """

            [[grammar]]
            name = "badge-serial-time"
            pattern = "{badge}_{serial}_{yyyyMMddHHmmss}_{seq}[IMP].{ext}"
            [[grammar]]
            name = "recorder-rec"
            pattern = "REC_{yyyyMMddHHmmss}_{serial}_{badge}.{ext}"
            """).write(toFile: harness.configPath, atomically: true, encoding: .utf8)
        try harness.start()
        let dry = try harness.ctlJSON(["clips", "reparse", "--dry-run"], as: ReparseReport.self)
        #expect(dry.changed == 2 && dry.byGrammar == ["recorder-rec": 2])
        #expect(try harness.clips().allSatisfy { $0.deviceSerial == nil }, "a dry run changes nothing")
        let done = try harness.ctlJSON(["clips", "reparse", "--grammar", "recorder-rec"], as: ReparseReport.self)
        #expect(done.changed == 2 && done.rejudged == 2 && done.unmatched == 0)
        for clip in try harness.clips() {
            #expect(clip.deviceSerial == "A7K2931" && clip.officerBadge == "010203" && clip.recordedAt != nil, "\(clip)")
            #expect(!clip.flags.contains("unparsed-name") && !clip.flags.contains("no-handover") && clip.dueAt != nil, "\(clip.flags)")
            let actions = try harness.ctlJSON(["clips", "show", clip.sha256], as: ClipDetail.self).audit.map(\.action)
            #expect(actions.contains("clip.reparse") && actions.contains("clip.rematch"), "\(actions)")
        }
        let runs = try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'clips.reparse'")
        #expect(runs == "3", "every run is audited, the empty one and the dry run too")
        try Self.expectIntact(harness)
        harness.stop()
    }

    @Test("clips correct: one clip's officer, a dump's device in bulk; the camera's values stay visible; an unknown officer is refused and audited")
    func corrections() throws {
        let harness = try Self.station()
        let now = Date()
        try M.dock(harness, folder: "cam1", files: (1...3).map {
            (M.name(badge: "010203", serial: "A7K2931", at: now.addingTimeInterval(Double(-$0) * 3600), seq: $0), [UInt8($0)])
        })
        let clips = try harness.clips()
        let one = try #require(clips.first)
        let refused = try harness.ctl(["clips", "correct", one.sha256, "--officer", "999999", "--reason", "x"])
        #expect(refused.status == 1 && String(decoding: refused.stderr, as: UTF8.self).contains("999999"))
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'api.refused' AND detail LIKE '%999999%'") == "1")
        #expect(try harness.ctl(["clips", "correct", one.sha256, "--officer", "010204"]).status == 2, "a reason is required")

        let report = try harness.ctlJSON(["clips", "correct", one.sha256, "--officer", "010204", "--reason", "李四借用设备，有值班记录"],
                                         as: ClipChangeReport.self)
        #expect(report.clips == 1 && report.rejudged == 1)
        var fixed = try #require(try harness.clips().first { $0.sha256 == one.sha256 })
        #expect(fixed.officerBadge == "010204" && fixed.claimedBadge == "010203" && fixed.flags.contains("corrected"), "\(fixed)")
        #expect(fixed.attribution?.clerkBadge == "010204")
        #expect(try harness.ctlJSON(["clips", "list", "--officer", "010204"], as: [ClipItem].self).map(\.sha256) == [one.sha256])

        let dumpID = try #require(try harness.dumps().first?.id)
        let bulk = try harness.ctlJSON(["clips", "correct", "--dump", "\(dumpID)", "--device", "B9K0001", "--reason", "记录仪贴错标签"],
                                       as: ClipChangeReport.self)
        #expect(bulk.clips == 3)
        for clip in try harness.clips() {
            #expect(clip.deviceSerial == "B9K0001" && clip.attribution?.claimedSerial == "A7K2931" && clip.flags.contains("no-handover"), "\(clip)")
        }
        #expect(try harness.ctl(["clips", "correct", "--dump", "\(dumpID)", "--recorded-at", "2026-01-01 08:00", "--reason", "x"]).status == 1)
        _ = try harness.ctlJSON(["clips", "correct", "--dump", "\(dumpID)", "--device", "-", "--reason", "撤销"], as: ClipChangeReport.self)
        fixed = try #require(try harness.clips().first { $0.sha256 == one.sha256 })
        #expect(fixed.deviceSerial == "A7K2931" && fixed.officerBadge == "010204", "clearing the device keeps the officer correction: \(fixed)")
        let text = String(decoding: try harness.ctl(["clips", "show", one.sha256]).stdout, as: UTF8.self)
        #expect(text.contains("officer claimed") && text.contains("李四借用设备"), "\(text)")
        try Self.expectIntact(harness)
        harness.stop()
    }
}

extension Date {
    /// Whole seconds, as a file name carries them.
    var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
