import CustodyAPI
import Foundation

/// The compliance report (执法音像记录管理情况报表) in Chinese: printable HTML (A4) and CSV for
/// Excel, per unit, officer and device, with the audit chain head at the bottom.
struct CompliancePage {
    let report: ComplianceReportItem
    let timeZone: TimeZone

    static let headers = ["类别", "编号", "名称", "录制数", "录制时长(小时)", "超期上传", "超期率", "最长超期", "按时标注", "标注超期", "标注合格率", "问题录像", "问题标记"]

    func cells(_ group: String, _ l: ComplianceLineItem) -> [String] {
        [group, l.key.isEmpty ? "（未知）" : l.key, l.name, String(l.clips), String(format: "%.1f", l.recordedHours), String(l.late),
         String(format: "%.1f%%", l.latePercent), Self.lateness(l.worstLateSeconds), String(l.annotatedOnTime),
         String(l.annotationOverdue), String(format: "%.1f%%", l.annotationPercent), String(l.flagged),
         l.flagCounts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")]
    }

    var rows: [[String]] {
        [cells("合计", report.total)] + report.units.map { cells("单位", $0) } + report.officers.map { cells("警员", $0) }
            + report.devices.map { cells("设备", $0) }
    }

    static func lateness(_ seconds: Double) -> String {
        guard seconds > 0 else { return "-" }
        let s = Int(seconds)
        return s >= 86_400 ? "\(s / 86_400)天\(s % 86_400 / 3600)小时" : "\(s / 3600)小时\(s % 3600 / 60)分"
    }

    func html() -> String {
        let page = LedgerPage(report: LedgerReport(unit: report.unit, device: nil, officer: nil, from: report.from, to: report.to,
                                                   generatedAt: report.generatedAt, auditHead: report.auditHead, rows: []),
                              timeZone: timeZone)
        let body = rows.map { "<tr>" + $0.map { "<td>\(LedgerPage.escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>执法音像记录管理情况报表</title>
            <style>
            @page { size: A4 landscape; margin: 15mm; }
            body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; font-size: 10pt; }
            h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
            table { width: 100%; border-collapse: collapse; }
            th, td { border: 1px solid #000; padding: 1.2mm 1.5mm; text-align: left; }
            th { background: #eee; }
            .foot { margin-top: 6mm; font-size: 9pt; }
            </style></head><body>
            <h1>执法音像记录管理情况报表</h1>
            <p>单位：\(LedgerPage.escape(report.unit))　期间：\(page.format(report.from)) 至 \(page.format(report.to))</p>
            <table><thead><tr>\(Self.headers.map { "<th>\($0)</th>" }.joined())</tr></thead>
            <tbody>
            \(body)
            </tbody></table>
            <p class="foot">制表时间：\(page.format(report.generatedAt))。审计记录 \(report.auditRows) 条，审计链头：<code>\(report.auditHead)</code></p>
            \(ReportSeal(treeHead: report.treeHead, integrityAlarm: report.integrityAlarm).html)            <p>审核人签字：__________　　单位负责人签字：__________</p>
            </body></html>
            """
    }

    func csv() -> [UInt8] {
        func field(_ s: String) -> String {
            s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let lines = [Self.headers] + rows + [["审计链头", report.auditHead]]
            + ReportSeal(treeHead: report.treeHead, integrityAlarm: report.integrityAlarm).csvRows
        return [0xEF, 0xBB, 0xBF] + Array(lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }
}
