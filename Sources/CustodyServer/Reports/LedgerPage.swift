import CustodyAPI
import Foundation

/// The printed ledger page (台账) in Chinese, for the auditor's file: HTML that prints on A4,
/// and CSV for Excel. The audit chain head at the bottom ties the page to the log.
struct LedgerPage {
    let report: LedgerReport
    let timeZone: TimeZone

    func format(_ date: Date?) -> String {
        guard let date else { return "未归还" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let headers = ["领用时间", "归还时间", "设备", "警号", "姓名", "异地/连续执勤", "录制数", "录制时长", "问题标记", "备注"]

    func cells(_ row: LedgerReport.Row) -> [String] {
        [format(row.handover.checkedOutAt), format(row.handover.checkedInAt), row.device, row.handover.badge, row.officerName,
         row.handover.offsite ? "是" : "否", String(row.clips), Self.duration(row.recordedSeconds),
         row.flags.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "), row.handover.note]
    }

    var title: String {
        let subject = report.device.map { "设备 \($0)" } ?? report.officer.map { "警号 \($0)" } ?? "全部设备"
        return "执法记录仪使用台账（\(subject)）"
    }

    func html() -> String {
        let rows = report.rows.map { row in
            "<tr>" + cells(row).map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        let total = report.rows.reduce(0) { $0 + $1.clips }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
            <style>
            @page { size: A4 landscape; margin: 15mm; }
            body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; font-size: 10.5pt; }
            h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
            .meta { display: flex; justify-content: space-between; margin-bottom: 3mm; }
            table { width: 100%; border-collapse: collapse; }
            th, td { border: 1px solid #000; padding: 1.5mm 2mm; text-align: left; }
            th { background: #eee; }
            .foot { margin-top: 6mm; font-size: 9pt; }
            .sign { margin-top: 10mm; display: flex; justify-content: space-around; }
            </style></head><body>
            <h1>\(Self.escape(title))</h1>
            <div class="meta"><span>单位：\(Self.escape(report.unit))</span><span>期间：\(format(report.from)) 至 \(format(report.to))</span></div>
            <table><thead><tr>\(Self.headers.map { "<th>\($0)</th>" }.joined())</tr></thead>
            <tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"\(Self.headers.count)\">本期间无交接记录</td></tr>" : rows)
            </tbody></table>
            <p class="foot">共 \(report.rows.count) 次交接，\(total) 条录制。制表时间：\(format(report.generatedAt))。审计链头：<code>\(report.auditHead)</code></p>
            \(ReportSeal(treeHead: report.treeHead, integrityAlarm: report.integrityAlarm).html)            <div class="sign"><span>保管人签字：__________</span><span>单位负责人审核：__________</span></div>
            </body></html>
            """
    }

    func csv() -> [UInt8] {
        func field(_ s: String) -> String {
            s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let lines = [Self.headers] + report.rows.map(cells) + ReportSeal(treeHead: report.treeHead, integrityAlarm: report.integrityAlarm).csvRows
        return [0xEF, 0xBB, 0xBF] + Array(lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }
}
