import CustodyAPI
import CustodyArchive
import CustodyCore
import Foundation

extension APIHandlers {
    static let stageNames: [String: String] = [
        "recording": "录制", "docking": "接入", "copy": "复制", "verification": "校验", "matching": "台账", "correction": "更正",
        "annotation": "标注", "mark": "标记", "hold": "保全", "case": "案件", "disc": "光盘", "access": "调阅", "look": "查看",
        "export": "导出", "disposal": "销毁", "integrity": "完整性", "report": "报告", "other": "其他",
    ]

    /// The printable 音像证据监管链报告 (A4 landscape): the clip in brief, every event with the audit
    /// row behind it, its disc copies and where they are, every request that named it, and lines for
    /// the custodian and the head of the unit to sign.
    func custodyDocument(_ report: CustodyReportItem) -> PrintDocument {
        let zone = config.station.resolvedTimeZone
        let events = report.events.enumerated().map { index, e in
            [String(index + 1), PaperTime.second(e.at, zone), Self.stageNames[e.stage] ?? e.stage, e.title, e.actor, e.detail,
             e.seq.map { "第 \($0) 条\n\(e.hash.map { String($0.prefix(12)) } ?? "")" } ?? "—"]
        }
        let copies = report.discCopies.map {
            [$0.setID, $0.copy + "盘", Vocabulary.name(Vocabulary.discCopyStates, $0.state), $0.verified ? "是" : "否", $0.location ?? "—", $0.discPath]
        }
        let access = report.access.map { a in
            [String(a.id), "\(a.requester)\n\(a.requesterUnit)", Vocabulary.name(Vocabulary.requesterKinds, a.requesterKind),
             Vocabulary.name(Vocabulary.accessActions, a.action), a.purpose,
             a.decision.map { Vocabulary.name(Vocabulary.decisions, $0) + "（\(a.decidedBy ?? "—")）" } ?? "待审批",
             a.uses.isEmpty ? "—" : a.uses.joined(separator: "\n")]
        }
        return PrintDocument(
            title: "音像证据监管链报告",
            meta: ["单位：\(report.unit)", "录像：\(report.clip.sha256)"],
            blocks: [
                .heading("一、基本情况"),
                .fields(report.summary.map { PrintField($0[0], $0.count > 1 ? $0[1] : "", mono: $0[0].hasPrefix("录像")) }),
                .heading("二、监管记录（自记录仪录制至本报告生成）"),
                .table(PrintTable(columns: [.init("序号", .number), .init("时间"), .init("环节"), .init("事件"), .init("操作人"), .init("说明"),
                                            .init("审计记录", .mono)], rows: events, emptyText: "无记录")),
                .heading("三、光盘副本及存放位置"),
                .table(PrintTable(columns: [.init("光盘组"), .init("副本"), .init("状态"), .init("已校验"), .init("存放位置"), .init("光盘内路径")],
                                  rows: copies, emptyText: "未刻录光盘")),
                .heading("四、调阅、复制与导出"),
                .table(PrintTable(columns: [.init("编号", .number), .init("申请人"), .init("类别"), .init("事项"), .init("事由"), .init("审批"),
                                            .init("办理情况")], rows: access, emptyText: "无调阅记录")),
                .paragraph("本报告依据本站审计日志生成：每条记录均可在审计日志中按条号查到，审计日志为哈希链，"
                           + "报告末尾的审计检查点（条数、链头和 Merkle 根）可用 custodyctl audit verify 核对。"),
                .signatures(["证据保管人", "单位负责人"]),
            ],
            orientation: .landscape, preparer: report.preparedBy, preparedAt: report.generatedAt,
            stamp: AuditStamp(report.stamp),
            timeZone: zone)
    }
}
