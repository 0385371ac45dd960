import CustodyAPI
import CustodyArchive
import CustodyCore
import Foundation

/// The compliance report (执法音像记录管理情况报表) in Chinese: a printed page (HTML, PDF) and CSV
/// for Excel, per unit (in the agency's order), officer and device, then every late clip behind the
/// late counts, signature lines, and on every page the page number, 制表人 and the checkpoint.
struct CompliancePage {
    let report: ComplianceReportItem
    let timeZone: TimeZone

    static let headers = ["类别", "编号", "名称", "录制数", "录制时长(小时)", "超期上传", "超期率", "最长超期", "应标注", "按时标注", "标注超期",
                          "标注合格率", "问题录像", "问题标记"]
    static let lateHeaders = ["序号", "单位", "警号", "姓名", "设备", "录制时间", "上传期限", "入库时间", "超期", "录像 SHA-256"]

    func cells(_ group: String, _ l: ComplianceLineItem) -> [String] {
        let due = l.annotationDue ?? (l.annotatedOnTime + l.annotationOverdue)
        let key = group == "合计" ? "" : l.key.isEmpty ? "（未知）" : l.key
        return [group, key, l.name, String(l.clips), String(format: "%.1f", l.recordedHours), String(l.late),
                String(format: "%.1f%%", l.latePercent), Self.lateness(l.worstLateSeconds), String(due), String(l.annotatedOnTime),
                String(l.annotationOverdue), due == 0 ? "—" : String(format: "%.1f%%", l.annotationPercent), String(l.flagged),
                Vocabulary.flagCounts(l.flagCounts)]
    }

    var rows: [[String]] {
        [cells("合计", report.total)] + report.units.map { cells("单位", $0) } + report.officers.map { cells("警员", $0) }
            + report.devices.map { cells("设备", $0) }
    }

    var lateRows: [[String]] {
        (report.lateClips ?? []).enumerated().map { index, c in
            [String(index + 1), c.unit ?? "（未知）", c.officerBadge ?? "—", c.officerName ?? "", c.deviceSerial ?? "—",
             PaperTime.minute(c.recordedAt, timeZone), PaperTime.minute(c.dueAt, timeZone), PaperTime.minute(c.ingestedAt, timeZone),
             Self.lateness(c.lateSeconds), c.sha256]
        }
    }

    static func lateness(_ seconds: Double) -> String {
        guard seconds > 0 else { return "—" }
        let s = Int(seconds)
        return s >= 86_400 ? "\(s / 86_400)天\(s % 86_400 / 3600)小时" : "\(s / 3600)小时\(s % 3600 / 60)分"
    }

    func document() -> PrintDocument {
        let numbers: Set<Int> = [3, 4, 5, 6, 8, 9, 10, 11, 12]
        let main = PrintTable(columns: Self.headers.enumerated().map { PrintTable.Column($1, numbers.contains($0) ? .number : .text) },
                              rows: rows, emptyText: "本期间无录像")
        let late = PrintTable(columns: Self.lateHeaders.enumerated().map { PrintTable.Column($1, $0 == 0 ? .number : $0 == 9 ? .mono : .text) },
                              rows: lateRows, emptyText: "本期间无超期上传的录像")
        return PrintDocument(
            title: "执法音像记录管理情况报表",
            meta: ["单位：\(report.unit)　期间：\(PaperTime.minute(report.from, timeZone)) 至 \(PaperTime.minute(report.to, timeZone))",
                   "说明：标注合格率只计标注期限已到的录像（应标注）；超期上传的每条录像列于附表。"],
            blocks: [.table(main), .heading("附表：超期上传录像明细（共 \(lateRows.count) 条）"), .table(late),
                     .signatures(["审核人", "单位负责人"])],
            orientation: .landscape, preparer: report.preparedBy, preparedAt: report.generatedAt, stamp: stamp, timeZone: timeZone)
    }

    var stamp: AuditStamp? { report.stamp.map(AuditStamp.init) }

    func html() -> String { document().html() }

    func csv() -> [UInt8] {
        let lines = [Self.headers] + rows + [[]] + [["超期上传录像明细"], Self.lateHeaders] + lateRows + [[]]
            + [["制表人", report.preparedBy ?? ""], ["审计链头", report.auditHead]] + (stamp?.csvRows ?? [])
        return CSVField.excel(lines)
    }
}
