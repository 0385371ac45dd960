import CustodyAPI
import CustodyArchive
import CustodyCore
import Foundation

/// The printed ledger page (台账) in Chinese, for the auditor's file: a printed page (HTML, PDF)
/// and CSV for Excel, with a 合计 line, findings in Chinese, signature lines, and on every page the
/// page number, 制表人 and the checkpoint that ties the page to the log.
struct LedgerPage {
    let report: LedgerReport
    let timeZone: TimeZone
    var preparer: String? = nil
    var stamp: AuditStamp? = nil

    func format(_ date: Date?) -> String {
        guard let date else { return "未归还" }
        return PaperTime.minute(date, timeZone)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
    }

    static let headers = ["领用时间", "归还时间", "设备", "警号", "姓名", "异地/连续执勤", "录制数", "录制时长", "问题标记", "备注"]

    func cells(_ row: LedgerReport.Row) -> [String] {
        [format(row.handover.checkedOutAt), format(row.handover.checkedInAt), row.device, row.handover.badge, row.officerName,
         row.handover.offsite ? "是" : "否", String(row.clips), Self.duration(row.recordedSeconds), Vocabulary.flagCounts(row.flags),
         row.handover.note]
    }

    /// 合计: handovers, clips and hours of the page.
    var total: [String] {
        ["合计", "\(report.rows.count) 次交接", "", "", "", "", String(report.rows.reduce(0) { $0 + $1.clips }),
         Self.duration(report.rows.reduce(0) { $0 + $1.recordedSeconds }), "", ""]
    }

    var title: String {
        let subject = report.device.map { "设备 \($0)" } ?? report.officer.map { "警号 \($0)" } ?? "全部设备"
        return "执法记录仪使用台账（\(subject)）"
    }

    func document() -> PrintDocument {
        let table = PrintTable(columns: Self.headers.enumerated().map { PrintTable.Column($1, [6, 7].contains($0) ? .number : .text) },
                               rows: report.rows.isEmpty ? [] : report.rows.map(cells) + [total], emptyText: "本期间无交接记录")
        return PrintDocument(title: title, meta: ["单位：\(report.unit)　期间：\(format(report.from)) 至 \(format(report.to))"],
                             blocks: [.table(table), .signatures(["保管人", "单位负责人"])], orientation: .landscape,
                             preparer: preparer, preparedAt: report.generatedAt, stamp: stamp, timeZone: timeZone)
    }

    func html() -> String { document().html() }

    func csv() -> [UInt8] {
        CSVField.excel([Self.headers] + report.rows.map(cells) + (report.rows.isEmpty ? [] : [total]) + (stamp?.csvRows ?? []))
    }
}
