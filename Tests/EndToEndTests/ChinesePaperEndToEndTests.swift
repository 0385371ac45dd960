import CustodyAPI
import Foundation
import Testing

/// Chinese on everything a clerk prints or signs (issue 19, item 5), end to end: the compliance
/// report, the ledger, the access register, their CSV, and custodyctl under `LANG=zh_CN`.
@Suite("Chinese paper end to end", .serialized)
struct ChinesePaperEndToEndTests {
    typealias L = LedgerEndToEndTests
    static let zh = ["LANG": "zh_CN.UTF-8"]

    /// Three officers of three units, each with a camera: one clip recorded 3 days ago (uploaded late),
    /// one 2 hours ago; 王三's camera also names another badge (警号不符).
    static func station(_ harness: DaemonHarness) throws -> [ClipItem] {
        let config = try String(contentsOfFile: harness.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "time_zone = \"Asia/Shanghai\"",
                                        with: "time_zone = \"Asia/Shanghai\"\nunit_order = [\"一中队\", \"二中队\", \"三中队\"]")
            .write(toFile: harness.configPath, atomically: true, encoding: .utf8)
        try harness.start()
        let now = Date()
        let officers = [("010201", "王一", "三中队", "D000001"), ("010202", "王二", "一中队", "D000002"), ("010203", "王三", "二中队", "D000003")]
        for (k, (badge, name, unit, serial)) in officers.enumerated() {
            try L.ok(harness, ["officers", "add", badge, "--name", name, "--unit", unit])
            try L.ok(harness, ["devices", "add", serial, "--brand", "海康威视", "--model", "DSJ-K1"])
            try L.ok(harness, ["devices", "checkout", serial, "--officer", badge, "--at", L.wall(now.addingTimeInterval(-4 * 86_400))])
            var files = RetentionEndToEndTests.files(count: 1, start: now.addingTimeInterval(-3 * 86_400), serial: serial, badge: badge,
                                                     bytes: 50_000 + k * 3_001)
            files += RetentionEndToEndTests.files(count: 1, start: now.addingTimeInterval(-2 * 3600), serial: serial,
                                                  badge: badge == "010203" ? "019999" : badge, bytes: 70_000 + k * 3_001)
            try MatchingEndToEndTests.dock(harness, folder: serial, files: files)
        }
        return try harness.clips()
    }

    @Test("the compliance report: units in the agency's order, findings in Chinese, no rate before anything is due, 制表人 and page numbers, every late clip listed; HTML, PDF and CSV")
    func complianceReport() throws {
        let harness = try DaemonHarness()
        let clips = try Self.station(harness)
        let late = clips.filter(\.late)
        #expect(late.count == 3, "\(clips.map { ($0.recordedAt, $0.late) })")
        try L.ok(harness, ["clips", "annotate", clips.first { !$0.late }!.sha256, "--category", "治安", "--place", "人民路"])
        let period = ["report", "period", "--from", L.wall(Date().addingTimeInterval(-4 * 86_400), "yyyy-MM-dd HH:mm"),
                      "--to", L.wall(Date().addingTimeInterval(3600), "yyyy-MM-dd HH:mm")]
        let report = try harness.ctlJSON(period, as: ComplianceReportItem.self)
        #expect(report.units.map(\.key) == ["一中队", "二中队", "三中队"], "the agency's order, not code order")
        #expect(report.total.late == 3 && Set(report.lateClips?.map(\.sha256) ?? []) == Set(late.map(\.sha256)))
        #expect(report.lateClips?.map(\.unit) == ["一中队", "二中队", "三中队"], "the late clips follow the agency's order too")
        #expect(report.total.annotationDue == 0 && report.total.annotatedOnTime == 0, "an annotation not yet due is not counted")
        #expect(report.preparedBy?.contains("root") == true && report.stamp?.treeSize == report.auditRows)

        let html = try L.ok(harness, period + ["--html"])
        for text in ["执法音像记录管理情况报表", "制表人：root", "counter(page)", "警号不符", "超期上传录像明细（共 3 条）", "应标注", "审核人（签名）"] {
            #expect(html.contains(text), "the HTML shows \(text)")
        }
        for code in ["officer-mismatch", "no-handover", "unregistered-device", ">total<"] { #expect(!html.contains(code), "no English \(code) on paper") }
        #expect(late.allSatisfy { html.contains($0.sha256) }, "every late clip behind the count")
        let widths = html.components(separatedBy: "<col style=\"width:").dropFirst().compactMap { Double($0.prefix { $0 != "%" }) }
        #expect(widths.count >= 14 && widths.allSatisfy { $0 >= 2.5 }, "no column squeezed to one character: \(widths)")
        let pdf = harness.dir.appending("report.pdf").path
        try L.ok(harness, period + ["--pdf", "--output", pdf])
        let text = try runCheckedString("pdftotext", ["-raw", pdf, "-"]).filter { !$0.isWhitespace }
        for line in ["执法音像记录管理情况报表", "第1页共", "制表人：root", "超期上传录像明细", "警号不符", "一中队"] {
            #expect(text.contains(line), "the PDF shows \(line)")
        }
        try runChecked("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, harness.dir.appending("report").path])
        if let keep = ProcessInfo.processInfo.environment["CUSTODY_LABEL_PREVIEW"] {
            try? FileManager.default.removeItem(atPath: keep + "/compliance-report.png")
            try? FileManager.default.copyItem(atPath: harness.dir.appending("report.png").path, toPath: keep + "/compliance-report.png")
        }
        let csv = try harness.ctl(period + ["--csv"])
        #expect(csv.stdout.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let csvText = String(decoding: csv.stdout.dropFirst(3), as: UTF8.self)
        #expect(csvText.contains("合计") && csvText.contains("超期上传录像明细") && csvText.contains("警号不符") && !csvText.contains("officer-mismatch"))
        let terminal = String(decoding: try harness.ctl(period, env: Self.zh).stdout, as: UTF8.self)
        #expect(terminal.contains("合计") && terminal.contains("超期上传录像（3 条）") && terminal.contains("制表人"), "\(terminal)")
        harness.stop()
    }

    @Test("the ledger, the access register, clip and device lists and CSV import refusals read in Chinese under LANG=zh_CN")
    func ledgerRegisterAndLists() throws {
        let harness = try DaemonHarness()
        let clips = try Self.station(harness)
        let ledger = try L.ok(harness, ["ledger", "--from", L.wall(Date().addingTimeInterval(-5 * 86_400), "yyyy-MM-dd HH:mm"), "--html"])
        for text in ["执法记录仪使用台账", "合计", "3 次交接", "警号不符", "制表人：root", "counter(page)", "保管人（签名）"] {
            #expect(ledger.contains(text), "the ledger shows \(text)")
        }
        #expect(!ledger.contains("officer-mismatch"))
        try L.ok(harness, ["access", "request", "--name", "王法官", "--unit", "某区人民法院", "--kind", "authority", "--body", "court",
                           "--doc", "letter-of-introduction:法函12号:verified", "--doc", "id-document:法官证001:verified",
                           "--clip", clips[0].sha256, "--purpose", "审理需要", "--action", "export"])
        let register = try L.ok(harness, ["access", "list", "--html"])
        for text in ["执法音像记录调阅登记簿", "有关机关", "调取", "待审批", "制表人：root", "counter(page)"] {
            #expect(register.contains(text), "the register shows \(text)")
        }
        #expect(!register.contains(">authority<") && !register.contains(">export<"))
        let pdf = harness.dir.appending("register.pdf").path
        try L.ok(harness, ["access", "list", "--pdf", "--output", pdf])
        #expect(try runCheckedString("pdftotext", ["-raw", pdf, "-"]).filter { !$0.isWhitespace }.contains("执法音像记录调阅登记簿"))
        let list = String(decoding: try harness.ctl(["clips", "list"], env: Self.zh).stdout, as: UTF8.self)
        #expect(list.contains("警号不符") && !list.contains("officer-mismatch"), "\(list)")
        let access = String(decoding: try harness.ctl(["access", "list"], env: Self.zh).stdout, as: UTF8.self)
        #expect(access.contains("有关机关") && access.contains("调取") && !access.contains("authority"), "\(access)")
        let devices = String(decoding: try harness.ctl(["devices", "list"], env: Self.zh).stdout, as: UTF8.self)
        #expect(devices.contains("在用") && !devices.contains("in-service"), "\(devices)")
        let csv = harness.dir.appending("officers.csv").path
        try Data("警号,姓名,所属单位\r\n01-02#,张三,一中队\r\n010299,,一中队\r\n".utf8).write(to: URL(fileURLWithPath: csv))
        let refused = try harness.ctl(["officers", "import", csv], env: Self.zh.merging(["COLUMNS": "200"]) { $1 })
        let out = String(decoding: refused.stdout, as: UTF8.self)
        #expect(refused.status == 1 && out.contains("须为 1–32 位英文字母或数字") && out.contains("为空，请填写") && !out.contains("must be"), "\(out)")
        harness.stop()
    }
}
