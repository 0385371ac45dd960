import CustodyAPI
import Foundation
import Testing

/// "Every disc explains itself" (issue 19, item 4), end to end: a burned disc holds an index of
/// every file (CSV, HTML, PDF) and an evidence description sheet for every clip, in Chinese; the
/// labels carry the case name and number and the audit head, legible (≥ 2 mm type) and as a QR
/// code that decodes to the line in AUDIT-HEAD.txt.
@Suite("Disc paperwork end to end", .serialized)
struct DiscPaperworkEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// A disc set of four clips of 张三's camera, two of them in case A-2026-7; burned to the spool.
    static func burnedDisc(_ harness: DaemonHarness) throws -> (set: DiscSetItem, clips: [ClipItem], iso: String) {
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康威视", "--model", "DSJ-K1"])
        let start = Date().addingTimeInterval(-3 * 86_400)
        try L.ok(harness, ["devices", "checkout", "A7K2931", "--officer", "010203", "--at", L.wall(start.addingTimeInterval(-3600))])
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 4, start: start))
        let clips = try harness.clips()
        try L.ok(harness, ["cases", "add", "A-2026-7", "--title", "某某妨害公务案", "--handler", "010203"])
        for clip in clips.prefix(2) {
            try L.ok(harness, ["clips", "annotate", clip.sha256, "--case", "A-2026-7", "--category", "治安案件", "--place", "人民路 12 号",
                               "--description", "现场处置"])
        }
        for (i, clip) in clips.enumerated() {
            try L.ok(harness, ["retain", clip.sha256, "--reason", i < 2 ? "evidence" : "obstruction"])
        }
        let plan = try harness.ctlJSON(["discs", "plan", "--force"], as: DiscPlanResponse.self)
        let set = try #require(plan.sets.first)
        let burn = try harness.ctl(["discs", "burn", set.id])
        #expect(burn.status == 0, "\(String(decoding: burn.stdout + burn.stderr, as: UTF8.self))")
        let burned = try harness.ctlJSON(["discs", "show", set.id], as: DiscSetItem.self)
        #expect(burned.copies.map(\.state) == ["verified", "verified"], "the papers at the root do not fail verification")
        return (burned, clips, harness.dir.appending("spool/discs/\(set.id)-A.iso").path)
    }

    /// A daemon with a burned disc, copy A extracted with xorriso into the folder returned.
    static func extractedDisc() throws -> (DaemonHarness, DiscSetItem, [ClipItem], String) {
        let harness = try DaemonHarness(extraConfig: "[discs]\nmedia = \"cd\"\nmaker = \"李四\"")
        try harness.start()
        let (set, clips, iso) = try burnedDisc(harness)
        let out = harness.dir.appending("extract").path
        try runChecked("xorriso", ["-osirrox", "on", "-indev", iso, "-extract", "/", out])
        return (harness, set, clips, out)
    }

    @Test("a burned disc holds INDEX.csv/html/pdf with every file's fields and SHEETS.pdf with a signed sheet per clip; rendered to PNG")
    func indexAndSheets() throws {
        let (harness, set, clips, out) = try Self.extractedDisc()
        let check = try run("sh", ["-c", "cd '\(out)' && sha256sum -c manifest-sha256.txt && sha256sum -c tagmanifest-sha256.txt"])
        #expect(check.status == 0, "the clips and the papers check: \(String(decoding: check.stdout + check.stderr, as: UTF8.self))")

        // INDEX.csv: Excel's UTF-8, one row per file, every field the issue names.
        let csvData = try Data(contentsOf: URL(fileURLWithPath: out + "/INDEX.csv"))
        #expect(csvData.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let rows = String(decoding: csvData.dropFirst(3), as: UTF8.self).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["序号", "光盘路径", "SHA-256", "原始文件名", "原始路径", "警号", "警员姓名", "设备编号", "设备品牌型号",
                               "录制开始", "录制结束", "大小（字节）", "案件编号", "案件名称", "长期保存原因"])
        #expect(rows.count == 1 + clips.count)
        let manifest = try String(contentsOfFile: out + "/manifest-sha256.txt", encoding: .utf8)
        for clip in clips {
            let row = try #require(rows.first { $0.count > 2 && $0[2] == clip.sha256 }, "a row for \(clip.sha256)")
            #expect(manifest.contains("\(clip.sha256)  \(row[1])"), "the disc path is the manifest's")
            #expect(row[4] == clip.sourcePath && row[3] == (clip.sourcePath as NSString).lastPathComponent)
            #expect(row[5] == "010203" && row[6] == "张三" && row[7] == "A7K2931" && row[8] == "海康威视 DSJ-K1")
            #expect(row[9] == L.wall((clip.correctedRecordedAt ?? clip.recordedAt)!, "yyyy-MM-dd HH:mm:ss") && row[11] == String(clip.sizeBytes))
            let inCase = clips.prefix(2).contains { $0.sha256 == clip.sha256 }
            #expect(inCase ? (row[12] == "A-2026-7" && row[13] == "某某妨害公务案" && row[14] == "作为证据使用")
                           : (row[12].isEmpty && row[14].hasPrefix("当事人逃避")), "\(row)")
        }
        let html = try String(contentsOfFile: out + "/INDEX.html", encoding: .utf8)
        #expect(html.contains("执法音像证据光盘文件索引") && html.contains("counter(page)") && clips.allSatisfy { html.contains($0.sha256) })

        // INDEX.pdf and SHEETS.pdf, read back from the PDF text (no OCR), and rendered to PNG for people.
        let index = try runCheckedString("pdftotext", ["-raw", out + "/INDEX.pdf", "-"]).filter { !$0.isWhitespace }
        for text in ["执法音像证据光盘文件索引", set.id, "张三", "海康威视", "DSJ-K1", "A-2026-7", "某某妨害公务案", "第 1 页", "制表人：李四", "审计日志第"] {
            #expect(index.contains(text.filter { !$0.isWhitespace }), "INDEX.pdf shows \(text)")
        }
        for clip in clips { #expect(index.contains((clip.sourcePath as NSString).lastPathComponent), "INDEX.pdf names \(clip.sourcePath): \(index)") }
        let pages = try runCheckedString("pdfinfo", [out + "/SHEETS.pdf"])
        #expect(Self.pdfPages(pages) == clips.count, "one sheet per clip, not only the case's: \(pages)")
        for (number, clip) in set.files.enumerated() {
            let sheet = try runCheckedString("pdftotext", ["-f", "\(number + 1)", "-l", "\(number + 1)", "-raw", out + "/SHEETS.pdf", "-"]).filter { !$0.isWhitespace }
            for text in ["音像证据说明书", "张三", "010203", "海康威视 DSJ-K1", "A7K2931", "视频 MP4", clip.sha256, clip.discPath, "分管领导（签名）",
                         "执法人员（签名）", "第 \(number + 1) 页 共 \(clips.count) 页"] {
                #expect(sheet.contains(text.filter { !$0.isWhitespace }), "sheet \(number + 1) shows \(text): \(sheet)")
            }
            let inCase = clips.prefix(2).contains { $0.sha256 == clip.sha256 }
            #expect(!inCase || (sheet.contains("人民路12号") && sheet.contains("某某妨害公务案")), "sheet \(number + 1): place and case")
        }
        for (pdf, name) in [("INDEX.pdf", "disc-index"), ("SHEETS.pdf", "evidence-sheet")] {
            try runChecked("pdftoppm", ["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", out + "/" + pdf, harness.dir.appending(name).path])
            let png = harness.dir.appending(name + ".png").path
            #expect(((try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0) > 20_000)
            if let keep = ProcessInfo.processInfo.environment["CUSTODY_LABEL_PREVIEW"] {
                try? FileManager.default.removeItem(atPath: keep + "/\(name).png")
                try? FileManager.default.copyItem(atPath: png, toPath: keep + "/\(name).png")
            }
        }
        harness.stop()
    }

    @Test("the labels show the case name and number and the same audit head as AUDIT-HEAD.txt: in 2.2 mm type and as a QR code that zbarimg decodes")
    func labelsCarryTheHead() throws {
        let (harness, set, _, out) = try Self.extractedDisc()
        let headFile = try String(contentsOfFile: out + "/AUDIT-HEAD.txt", encoding: .utf8)
        let head = try #require(headFile.split(separator: "\n").first { $0.hasPrefix("Audit head / 审计链头: ") }
            .map { String($0.dropFirst("Audit head / 审计链头: ".count)) })
        #expect(head.hasPrefix("seq ") && head.contains(" hash ") && head.contains(" root "))
        let bagInfo = try String(contentsOfFile: out + "/bag-info.txt", encoding: .utf8)
        #expect(bagInfo.contains("Custody-Audit-Head: \(head)"))
        // Labels printed later (other rows were written since the burn) still carry the burn's head.
        try L.ok(harness, ["officers", "add", "010299", "--name", "赵六", "--unit", "二中队"])
        let labels = try harness.ctlJSON(["discs", "label", set.id, "--copy", "A"], as: DiscSetItem.self)
        for kind in ["face", "sleeve"] {
            let pdf = try #require(labels.paths.first { $0.hasSuffix("-\(kind).pdf") })
            let text = try runCheckedString("pdftotext", ["-raw", pdf, "-"]).filter { !$0.isWhitespace }
            #expect(text.contains("某某妨害公务案") && text.contains("A-2026-7"), "the \(kind) names the case: \(text)")
            let png = harness.dir.appending("label-\(kind)").path
            try runChecked("pdftoppm", ["-png", "-r", "300", "-singlefile", pdf, png])
            let decoded = try run("zbarimg", ["-q", "--raw", png + ".png"])
            #expect(String(decoding: decoded.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init) == head,
                    "the \(kind)'s QR code is AUDIT-HEAD.txt's head: \(String(decoding: decoded.stdout + decoded.stderr, as: UTF8.self))")
            let svg = try String(contentsOfFile: pdf.replacingOccurrences(of: ".pdf", with: ".svg"), encoding: .utf8)
            let hash = String(head.split(separator: " ")[3])
            let sizes = Self.fontSizes(of: svg, containing: kind == "face" ? String(hash.prefix(16)) : hash)
            #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 2.0 }, "the head hash is printed in type of at least 2 mm: \(sizes)")
            if kind == "face", let keep = ProcessInfo.processInfo.environment["CUSTODY_LABEL_PREVIEW"] {
                try? FileManager.default.removeItem(atPath: keep + "/disc-face.png")
                try? FileManager.default.copyItem(atPath: png + ".png", toPath: keep + "/disc-face.png")
            }
        }
        let sheets = try #require(labels.paths.first { $0.hasSuffix("-sheets.pdf") })
        #expect(Self.pdfPages(try runCheckedString("pdfinfo", [sheets])) == 4, "a sheet for every clip, printed with the labels")
        harness.stop()
    }

    /// The page count `pdfinfo` printed.
    static func pdfPages(_ info: String) -> Int? {
        info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
    }

    /// The font sizes (mm) of the SVG text elements holding `text`.
    static func fontSizes(of svg: String, containing text: String) -> [Double] {
        svg.split(separator: "\n").filter { $0.contains("<text") && $0.contains(text) }.compactMap { line in
            guard let range = line.range(of: "font-size=\"") else { return nil }
            return Double(line[range.upperBound...].prefix { $0 != "\"" })
        }
    }
}
