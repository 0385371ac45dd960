import CustodyAPI
import Foundation

/// The printable access register (调阅登记簿) in Chinese: every request, its papers, the approver
/// and what was done, with the audit chain head at the bottom.
struct AccessRegisterPage {
    let unit: String
    let entries: [AccessEntryItem]
    let auditHead: String
    let seal: ReportSeal
    let timeZone: TimeZone

    func html() -> String {
        let page = LedgerPage(report: LedgerReport(unit: unit, device: nil, officer: nil, from: Date(), to: Date(), generatedAt: Date(),
                                                   auditHead: auditHead, rows: []), timeZone: timeZone)
        let headers = ["编号", "登记时间", "申请人", "单位", "类别", "证件材料", "录像", "事由", "事项", "审批", "办理情况"]
        let rows = entries.map { e -> String in
            let decision = e.decision.map { ($0 == "approved" ? "批准" : "驳回") + "（\(e.decidedBy ?? "")，\(page.format(e.decidedAt))）" } ?? "待审批"
            let cells = ["\(e.id)", page.format(e.registeredAt), e.requesterName, e.requesterUnit, e.requesterKind,
                         e.documents.joined(separator: "；"), e.clips.map { String($0.prefix(12)) }.joined(separator: " "), e.purpose,
                         ["view": "查看", "copy": "复制", "export": "调取"][e.action] ?? e.action, decision, e.uses.joined(separator: "；")]
            return "<tr>" + cells.map { "<td>\(LedgerPage.escape($0))</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>执法音像记录调阅登记簿</title>
            <style>@page { size: A4 landscape; margin: 15mm; } body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; font-size: 9.5pt; }
            h1 { font-size: 16pt; text-align: center; } table { width: 100%; border-collapse: collapse; } th, td { border: 1px solid #000; padding: 1.2mm; }
            th { background: #eee; }</style></head><body>
            <h1>执法音像记录调阅登记簿</h1><p>单位：\(LedgerPage.escape(unit))</p>
            <table><thead><tr>\(headers.map { "<th>\($0)</th>" }.joined())</tr></thead><tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"\(headers.count)\">无调阅记录</td></tr>" : rows)
            </tbody></table>
            <p>审计链头：<code>\(auditHead)</code></p>
            \(seal.html)            </body></html>
            """
    }
}
