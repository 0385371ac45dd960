@testable import CustodyArchive
import CustodyCore
import Foundation
import Testing

/// Printed pages: columns that never wrap one character per line, headers repeated on every page,
/// page numbers, 制表人 and the audit checkpoint on every page, the same in HTML and PDF.
@Suite struct PrintDocumentTests {
    static let stamp = AuditStamp(treeSize: 4321, headHash: String(repeating: "ab12", count: 16), root: String(repeating: "cd34", count: 16),
                                  at: Date(timeIntervalSince1970: 1_767_340_800))
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// A landscape report with 13 columns, like the compliance report, and `rows` lines.
    static func report(rows: Int) -> PrintDocument {
        let headers = ["类别", "编号", "名称", "录制数", "录制时长(小时)", "超期上传", "超期率", "最长超期", "按时标注", "标注超期", "标注合格率", "问题录像", "问题标记"]
        let table = PrintTable(columns: headers.enumerated().map { PrintTable.Column($1, [3, 4, 5, 6, 7, 8, 9, 10, 11].contains($0) ? .number : .text) },
                               rows: (0..<rows).map { i in
                                   ["警员", String(format: "%06d", i), "张三\(i)", "12", "3.5", "1", "8.3%", "1天2小时", "10", "2", "83.3%", "1",
                                    "无领用记录×1 警号不符×2 设备时钟偏差×1"]
                               })
        return PrintDocument(title: "执法音像记录管理情况报表", meta: ["单位：测试市公安局测试分局"], blocks: [.table(table), .signatures(["审核人", "单位负责人"])],
                             orientation: .landscape, preparer: "王五（clerk1）", preparedAt: stamp.at, stamp: stamp, timeZone: zone)
    }

    @Test("no column of a 13-column report is narrower than four Chinese characters, and headers wrap into at most two lines")
    func columnsDoNotWrapOneCharacterPerLine() throws {
        guard case .table(let table) = Self.report(rows: 5).blocks[0] else { throw CocoaError(.featureUnsupported) }
        let (widths, size) = PrintLayout.columnWidths(table, available: 297 - 28, size: 3.0)
        #expect(size >= 2.2 && abs(widths.reduce(0, +) - (297 - 28)) < 0.1, "the table fills the page width")
        for (column, width) in zip(table.columns, widths) {
            #expect(width >= 2 * size + 2 * PrintLayout.padding, "\(column.header) is \(width) mm at \(size) mm type")
            let lines = PrintLayout.wrap(column.header, maxWidth: width - 2 * PrintLayout.padding, size: size)
            #expect(lines.count <= 2 && lines.allSatisfy { $0.count >= 2 }, "\(column.header) wraps into \(lines)")
        }
        for row in table.rows {
            for (index, cell) in row.enumerated() where table.columns[index].style == .text {
                let lines = PrintLayout.wrap(cell, maxWidth: widths[index] - 2 * PrintLayout.padding, size: size)
                #expect(lines.allSatisfy { $0.count >= 2 } || cell.count < 2, "\(cell) wraps into \(lines)")
            }
        }
        // The flags column holds the longest text: it gets the most room.
        #expect(widths.last == widths.max())
    }

    @Test("a long table runs over several pages: header row on each, 第 n 页 共 N 页, 制表人 and the checkpoint on every page")
    func pagesHaveNumbersPreparerAndCheckpoint() throws {
        let document = Self.report(rows: 120)
        let pages = document.svgPages()
        #expect(pages.count >= 4)
        for (index, page) in pages.enumerated() {
            #expect(page.contains("第 \(index + 1) 页 共 \(pages.count) 页"))
            #expect(page.contains("制表人：王五（clerk1）"))
            #expect(page.contains("审计日志第 4321 条") && page.contains(Self.stamp.root))
            #expect(page.contains(">录制数</text>"), "header row repeated on page \(index + 1)")
        }
        let html = document.html()
        #expect(html.contains("counter(page)") && html.contains("制表人：王五（clerk1）") && html.contains("<colgroup>") && html.contains(Self.stamp.headHash))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("custody-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("report.pdf")
        try PDFRenderer.write(pages: pages, to: pdf, madeAt: document.preparedAt)
        let (status, info) = try runTool("pdfinfo", [pdf.path])
        #expect(status == 0 && pdfPages(info) == pages.count, "\(info)")
        let (_, text) = try runTool("pdftotext", ["-raw", pdf.path, "-"])
        let squeezed = text.filter { !$0.isWhitespace }
        #expect(squeezed.contains("第1页共\(pages.count)页") && squeezed.contains("录制时长") && squeezed.contains("制表人：王五"), "\(text.prefix(1500))")
        let again = folder.appendingPathComponent("again.pdf")
        try PDFRenderer.write(pages: pages, to: again, madeAt: document.preparedAt)
        #expect(try Data(contentsOf: pdf) == Data(contentsOf: again), "the same pages give the same PDF bytes")
    }

    @Test("a QR code of the audit head, drawn into our SVG and rendered to PNG, decodes with zbarimg to the same line")
    func qrCodeDecodes() throws {
        let line = Self.stamp.line
        let code = try QRCode(encoding: line)
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="40mm" viewBox="0 0 40 40">\(code.svg(x: 5, y: 5, size: 30))</svg>
            """
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("custody-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(svg.utf8).write(to: folder.appendingPathComponent("qr.svg"))
        let (converted, log) = try runTool("rsvg-convert", ["-d", "300", "-p", "300", "-o", folder.appendingPathComponent("qr.png").path,
                                                           folder.appendingPathComponent("qr.svg").path])
        #expect(converted == 0, "\(log)")
        let (status, decoded) = try runTool("zbarimg", ["-q", "--raw", folder.appendingPathComponent("qr.png").path])
        #expect(status == 0 && decoded.split(separator: "\n").contains { $0 == line }, "\(decoded)")
    }

    @Test("a CSV for Excel: byte-order mark, CRLF, quoted commas, and a cell typed as a formula stays text")
    func csvForExcel() {
        let bytes = CSVField.excel([["案件名称", "地点"], ["=HYPERLINK(\"x\")", "人民路, 12 号"], ["—", "@cmd"]])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "案件名称,地点\r\n\"'=HYPERLINK(\"\"x\"\")\",\"人民路, 12 号\"\r\n—,'@cmd\r\n", "\(text)")
    }

    @Test("text wraps at spaces between Latin words, between Chinese characters, and anywhere in a hash")
    func wrapping() {
        let hash = String(repeating: "0123456789abcdef", count: 4)
        let lines = PrintLayout.wrap(hash, maxWidth: 30, size: 3, mono: true)
        #expect(lines.joined() == hash && lines.count > 1)
        let words = PrintLayout.wrap("DCIM/100MEDIA file name here", maxWidth: 25, size: 3, mono: false)
        #expect(words.allSatisfy { !$0.hasPrefix(" ") } && words.joined(separator: " ").replacingOccurrences(of: "  ", with: " ") == "DCIM/100MEDIA file name here")
        let chinese = PrintLayout.wrap("当事人逃避、拒绝、阻碍执法或侮辱、殴打执法人员", maxWidth: 20, size: 3, mono: false)
        #expect(chinese.count > 1 && chinese.dropFirst().allSatisfy { !$0.hasPrefix("、") })
    }
}

/// The page count `pdfinfo` printed.
func pdfPages(_ info: String) -> Int? {
    info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
}
