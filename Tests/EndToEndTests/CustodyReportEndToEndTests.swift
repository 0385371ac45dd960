import CustodyAPI
import Foundation
import Testing

/// The chain-of-custody report (issue 19, item 6), end to end through the daemon and custodyctl:
/// a clip that went through a disc, an access request and an export.
@Suite("Chain of custody end to end", .serialized)
struct CustodyReportEndToEndTests {
    typealias L = LedgerEndToEndTests

    @Test("a clip burned to disc, stored, requested by a court and exported: its custody report lists every step from the camera, in Chinese, with its checkpoint, and the bag carries it")
    func clipThroughDiscAccessAndExport() throws {
        let harness = try DaemonHarness(extraConfig: "[discs]\nmedia = \"cd\"\nmaker = \"李四\"\n[api]\napprover_users = [\"nobody\"]")
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        let (set, clips, _) = try DiscPaperworkEndToEndTests.burnedDisc(harness)
        let clip = clips[0]
        try L.ok(harness, ["hold", "add", "--clip", clip.sha256, "--reason", "行政复议期间"])
        try L.ok(harness, ["discs", "label", set.id, "--copy", "A", "--confirm"])
        try L.ok(harness, ["discs", "locate", set.id, "--copy", "A", "--location", "档案室 3 号柜"])
        let entry = try harness.ctlJSON(["access", "request", "--name", "王法官", "--unit", "某区人民法院", "--kind", "authority", "--body", "court",
                                         "--doc", "letter-of-introduction:法函12号:verified", "--doc", "id-document:法官证001:verified",
                                         "--clip", clip.sha256, "--purpose", "审理需要", "--action", "export"], as: AccessEntryItem.self)
        let approved = try AccessEndToEndTests.asNobody(harness, ["access", "approve", "\(entry.id)", "--title", "agency-head"])
        #expect(approved.status == 0, "\(String(decoding: approved.stderr, as: UTF8.self))")
        // A drive of its own: never the daemon's state folder, which holds the catalog.
        let drive = try TempDir()
        defer { drive.cleanup() }
        let usb = try drive.subdirectory("usb")
        try L.ok(harness, ["access", "export", "\(entry.id)", "--to", usb.path])

        let report = try harness.ctlJSON(["clips", "custody", String(clip.sha256.prefix(12))], as: CustodyReportItem.self)
        #expect(report.clip.sha256 == clip.sha256 && report.unit == "测试市公安局测试分局" && report.preparedBy.contains("root"))
        let stages = report.events.map(\.stage)
        for stage in ["recording", "matching", "docking", "copy", "verification", "annotation", "mark", "hold", "disc", "access", "export", "report"] {
            #expect(stages.contains(stage), "the report has a \(stage) event: \(report.events.map(\.title))")
        }
        let titles = report.events.map { $0.title + " " + $0.detail }
        for text in ["记录仪领用", "记录仪接入", "复制入库", "入库校验通过", "台账匹配（入库时）", "警员 010203 张三", "标注", "标记长期保存", "作为证据使用",
                     "法律保全（暂停销毁）", "行政复议期间", "编入光盘组 \(set.id)", "\(set.id) A盘：已校验", "\(set.id) A盘：标签已核对",
                     "存放位置：档案室 3 号柜", "调阅申请登记（第 \(entry.id) 号）", "王法官", "有关机关", "批准", "调取导出", "生成监管链报告"] {
            #expect(titles.contains { $0.contains(text) }, "the report says \(text): \(titles)")
        }
        #expect(report.events.allSatisfy { ($0.seq ?? 0) <= report.stamp.treeSize }, "nothing after the checkpoint")
        #expect(report.events.map(\.at) == report.events.map(\.at).sorted(), "in time order")
        #expect(report.discCopies.contains { $0.copy == "A" && $0.state == "stored" && $0.location == "档案室 3 号柜" && $0.verified })
        #expect(report.access.first?.uses.first?.contains(usb.path) == true)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit_checkpoint WHERE tree_size = \(report.stamp.treeSize) AND root = '\(report.stamp.root)'") == "1",
                "the stamp is a checkpoint of the log")
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT hash FROM audit WHERE seq = \(report.stamp.treeSize)") == report.stamp.headHash)

        // Printable: HTML and PDF (A4), with page numbers, 制表人 and the checkpoint.
        let html = try L.ok(harness, ["clips", "custody", clip.sha256, "--html"])
        #expect(html.contains("音像证据监管链报告") && html.contains("档案室 3 号柜") && html.contains("counter(page)") && html.contains("制表人："))
        let pdf = harness.dir.appending("custody.pdf").path
        try L.ok(harness, ["clips", "custody", clip.sha256, "--pdf", "--output", pdf])
        let text = try runCheckedString("pdftotext", ["-raw", pdf, "-"]).filter { !$0.isWhitespace }
        for line in ["音像证据监管链报告", "记录仪接入", "入库校验通过", "存放位置：档案室 3 号柜", "调取导出", "制表人：root", "第 1 页 共", "审计日志第",
                     "证据保管人（签名）"] {
            #expect(text.contains(line.filter { !$0.isWhitespace }), "the PDF shows \(line)")
        }
        try runChecked("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, harness.dir.appending("custody").path])
        if let keep = ProcessInfo.processInfo.environment["CUSTODY_LABEL_PREVIEW"] {
            try? FileManager.default.removeItem(atPath: keep + "/custody-report.png")
            try? FileManager.default.copyItem(atPath: harness.dir.appending("custody.png").path, toPath: keep + "/custody-report.png")
            try? FileManager.default.removeItem(atPath: keep + "/custody-report.pdf")
            try? FileManager.default.copyItem(atPath: pdf, toPath: keep + "/custody-report.pdf")
        }
        let terminal = try harness.ctl(["clips", "custody", clip.sha256], env: ["LANG": "zh_CN.UTF-8"])
        #expect(terminal.status == 0 && String(decoding: terminal.stdout, as: UTF8.self).contains("的监管链"))

        // The export bag carries the report (HTML and PDF), covered by its tag manifest.
        let bag = try #require(try FileManager.default.contentsOfDirectory(atPath: usb.path).first)
        let files = try FileManager.default.contentsOfDirectory(atPath: usb.path + "/" + bag)
        let stem = "custody-report-1-\(clip.sha256.prefix(12))"
        #expect(files.contains(stem + ".html") && files.contains(stem + ".pdf"), "\(files)")
        let validate = try run("bagit.py", ["--validate", usb.path + "/" + bag])
        #expect(validate.status == 0, "\(String(decoding: validate.stderr, as: UTF8.self))")
        let tagManifest = try String(contentsOfFile: usb.path + "/" + bag + "/tagmanifest-sha256.txt", encoding: .utf8)
        #expect(tagManifest.contains(stem + ".pdf"))
        let bagged = try runCheckedString("pdftotext", ["-raw", usb.path + "/" + bag + "/" + stem + ".pdf", "-"]).filter { !$0.isWhitespace }
        #expect(bagged.contains("本报告随附") && bagged.contains("存放位置：档案室3号柜"))
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }

    @Test("a custody report of an unknown clip, or in an unknown format, is refused with a message")
    func refusals() throws {
        let harness = try DaemonHarness()
        try harness.start()
        let unknown = try harness.ctl(["clips", "custody", "00000000deadbeef"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(unknown.status == 1 && String(decoding: unknown.stderr, as: UTF8.self).contains("没有唯一匹配"))
        let both = try harness.ctl(["clips", "custody", "00000000deadbeef", "--html", "--pdf"])
        #expect(both.status == 2)
        harness.stop()
    }
}
