import CustodyAPI
import CustodyArchive
import CustodyCore
import Foundation

/// The printable access register (调阅登记簿) in Chinese: every request, its papers, the approver
/// and what was done, with page numbers, 制表人 and the checkpoint on every page.
struct AccessRegisterPage {
    let unit: String
    let entries: [AccessEntryItem]
    let timeZone: TimeZone
    var preparer: String? = nil
    var stamp: AuditStamp? = nil

    static let headers = ["编号", "登记时间", "申请人", "单位", "类别", "证件材料", "录像", "事由", "事项", "审批", "份数", "办理情况"]

    /// "调取：/media/usb/custody-access-1-… tagmanifest-sha256 …" from the register's `export: …`.
    static func use(_ text: String) -> String {
        guard let colon = text.range(of: ": ") else { return text }
        let what = String(text[..<colon.lowerBound])
        let name = ["export": "调取导出", "copy": "复制", "view": "查看"][what] ?? what
        return name + "：" + text[colon.upperBound...]
    }

    func document() -> PrintDocument {
        let rows = entries.map { e -> [String] in
            let title = e.approverTitle.map { Vocabulary.name(Vocabulary.approverTitles, $0) } ?? ""
            let decision = e.decision.map {
                Vocabulary.name(Vocabulary.decisions, $0) + "（\([title, e.decidedBy ?? ""].filter { !$0.isEmpty }.joined(separator: " ")) \(PaperTime.minute(e.decidedAt, timeZone))）"
            } ?? "待审批"
            // Expired or used up is said beside the decision; the decision itself stays as made.
            let standing = e.status.flatMap { $0 == "expired" || $0 == "used-up" ? Vocabulary.name(Vocabulary.decisions, $0) : nil }
            let copies = e.copiesAllowed.map { "已制作 \(e.copiesMade ?? 0) 份 / 准许 \($0) 份" } ?? "—"
            let done = e.uses.filter { !$0.hasPrefix("view: ") }.map(Self.use)
                + (e.looks ?? []).map { "查看：\($0.detail)（登记 \($0.recordedBy) \(PaperTime.minute($0.recordedAt, timeZone))）" }
            return ["\(e.id)", PaperTime.minute(e.registeredAt, timeZone), e.requesterName, e.requesterUnit,
                    Vocabulary.name(Vocabulary.requesterKinds, e.requesterKind), e.documents.joined(separator: "；"),
                    e.clips.map { String($0.prefix(12)) }.joined(separator: "\n"), e.purpose, Vocabulary.name(Vocabulary.accessActions, e.action),
                    decision + (standing.map { "\n【\($0)】" } ?? ""), copies, done.isEmpty ? "—" : done.joined(separator: "；\n")]
        }
        let table = PrintTable(columns: Self.headers.enumerated().map { PrintTable.Column($1, $0 == 0 ? .number : .text) },
                               rows: rows, emptyText: "无调阅记录")
        return PrintDocument(title: "执法音像记录调阅登记簿", meta: ["单位：\(unit)"], blocks: [.table(table), .signatures(["登记人", "单位负责人"])],
                             orientation: .landscape, preparer: preparer, preparedAt: stamp?.at ?? Date(), stamp: stamp, timeZone: timeZone)
    }

    func html() -> String { document().html() }
}
