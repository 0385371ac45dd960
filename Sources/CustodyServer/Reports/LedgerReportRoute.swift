import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation
import NIOCore

extension APIHandlers {
    /// `GET /v1/ledger?device=SERIAL|officer=BADGE&from=…&to=…&format=json|csv|html`.
    func ledgerReport(_ request: APIRequest) throws -> APIResponse {
        let device = request.query["device"].flatMap { $0.isEmpty ? nil : $0 }
        let officer = request.query["officer"].flatMap { $0.isEmpty ? nil : $0 }
        let to = try request.query["to"].map { try time($0) } ?? Date()
        let from = try request.query["from"].map { try time($0) } ?? to.addingTimeInterval(-31 * 86_400)
        let handovers = try catalog.handovers(serial: device).filter { h in
            (officer == nil || h.badge == officer) && h.checkedOutAt <= to && (h.checkedInAt ?? .distantFuture) >= from
        }
        let summary = try catalog.clipSummary(handoverIDs: handovers.map(\.id))
        var names: [String: String] = [:]
        for officer in try catalog.officers() { names[officer.badge] = officer.name }
        var models: [String: String] = [:]
        for d in try catalog.devices() { models[d.serial] = [d.serial, d.brand, d.model].filter { !$0.isEmpty }.joined(separator: " ") }
        let rows = handovers.map { h in
            LedgerReport.Row(handover: LedgerItems.item(h), officerName: names[h.badge] ?? "", device: models[h.serial] ?? h.serial,
                             clips: summary[h.id]?.count ?? 0, recordedSeconds: summary[h.id]?.seconds ?? 0,
                             flags: summary[h.id]?.flags ?? [:])
        }
        let head = try catalog.auditEntries(limit: 1).last?.hash ?? ""
        var report = LedgerReport(unit: config.station.unit, device: device, officer: officer, from: from, to: to,
                                  generatedAt: Date(), auditHead: head, rows: rows)
        let seal = ReportSeal(integrity)
        report.treeHead = seal.treeHead
        report.integrityAlarm = seal.integrityAlarm
        let page = LedgerPage(report: report, timeZone: config.station.resolvedTimeZone)
        switch request.query["format"] ?? "json" {
        case "html": return APIResponse(status: .ok, contentType: "text/html; charset=utf-8", body: ByteBuffer(string: page.html()))
        case "csv": return APIResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: ByteBuffer(bytes: page.csv()))
        default: return .json(report)
        }
    }
}
