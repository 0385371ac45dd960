import Foundation

extension PrintDocument {
    /// The document as one printable HTML page (A4, Chinese): the same column widths as the PDF
    /// (fixed table layout, so a narrow column never wraps its header one character per line),
    /// header rows repeated on every printed page, page numbers from the browser's page counter,
    /// and the foot (制表人, time, audit checkpoint) at the end.
    public func html() -> String {
        let (pageWidth, _) = pageSize
        let available = pageWidth - 2 * 14
        var body = "<h1>\(e(title))</h1>\n"
        body += meta.map { "<p class=\"meta\">\(e($0))</p>\n" }.joined()
        for block in blocks {
            switch block {
            case .heading(let text):
                body += "<h2>\(e(text))</h2>\n"
            case .paragraph(let text):
                body += "<p>\(cell(text))</p>\n"
            case .fields(let fields):
                body += "<table class=\"fields\"><colgroup><col style=\"width:28%\"><col></colgroup><tbody>\n"
                body += fields.map { "<tr><th>\(e($0.label))</th><td\($0.mono ? " class=\"mono\"" : "")>\(cell($0.value))</td></tr>\n" }.joined()
                body += "</tbody></table>\n"
            case .table(let table):
                body += tableHTML(table, available: available)
            case .signatures(let labels):
                body += "<div class=\"sign\">"
                body += labels.map { "<p>\(e($0))（签名）：<span class=\"blank\"></span>　日期：<span class=\"blank short\"></span></p>" }.joined()
                body += "</div>\n"
            }
        }
        var foot = "<div class=\"foot\"><p>\(e(preparedLine))</p>"
        if let stamp {
            foot += "<p>审计检查点：审计日志第 \(stamp.treeSize) 条　审计链头：<code>\(stamp.headHash)</code><br>Merkle 根：<code>\(stamp.root)</code></p>"
            if let signed = stamp.signedHead {
                foot += "<p>签名审计树头（站点密钥 \(e(stamp.keyID ?? ""))，可用 custodyctl audit verify --against 核对）：<code style=\"word-break:break-all\">\(e(signed))</code></p>"
            }
            if let alarm = stamp.integrityAlarm {
                foot += "<p class=\"alarm\" style=\"color:#b00;font-weight:bold\">完整性告警：\(e(alarm))</p>"
            }
        }
        foot += "</div>\n"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>
            @page { size: A4 \(orientation == .portrait ? "portrait" : "landscape"); margin: 14mm 14mm 18mm;
                    @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 8pt; } }
            body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 9pt; margin: 0; }
            h1 { font-size: 16pt; text-align: center; margin: 0 0 3mm; }
            h2 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
            p.meta { margin: 0.8mm 0; }
            table { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: 3mm; }
            th, td { border: 0.6pt solid #000; padding: 0.8mm 1.2mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
            th { background: #e8e8e8; }
            table.fields th { background: none; }
            thead { display: table-header-group; }
            tr { break-inside: avoid; }
            td.number { text-align: right; white-space: nowrap; }
            td.mono, code { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
            .sign p { margin: 7mm 0 0; }
            .blank { display: inline-block; width: 45mm; border-bottom: 0.6pt solid #000; }
            .blank.short { width: 35mm; }
            .foot { margin-top: 6mm; font-size: 8pt; }
            </style></head><body>
            \(body)\(foot)</body></html>

            """
    }

    func tableHTML(_ table: PrintTable, available: Double) -> String {
        let (widths, _) = PrintLayout.columnWidths(table, available: available, size: 3.0)
        let total = widths.reduce(0, +)
        var html = "<table><colgroup>"
        html += widths.map { String(format: "<col style=\"width:%.2f%%\">", $0 / total * 100) }.joined()
        html += "</colgroup><thead><tr>" + table.columns.map { "<th>\(e($0.header))</th>" }.joined() + "</tr></thead><tbody>\n"
        if table.rows.isEmpty {
            html += "<tr><td colspan=\"\(table.columns.count)\">\(e(table.emptyText))</td></tr>\n"
        }
        for row in table.rows {
            html += "<tr>" + row.enumerated().map { index, value in
                let style = index < table.columns.count ? table.columns[index].style : .text
                let cls = style == .number ? " class=\"number\"" : style == .mono ? " class=\"mono\"" : ""
                return "<td\(cls)>\(cell(value))</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    func e(_ text: String) -> String { SVGText.escape(text) }
    /// Escaped, with its line breaks kept as `<br>`.
    func cell(_ text: String) -> String { text.split(separator: "\n", omittingEmptySubsequences: false).map { e(String($0)) }.joined(separator: "<br>") }
}
