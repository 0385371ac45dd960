import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

extension APIHandlers {
    /// `GET /v1/ledger?device=SERIAL|officer=BADGE&from=…&to=…&format=json|csv|html`.
    func ledgerReport(_ request: APIRequest) throws -> APIResponse {
        let device = try Self.key(request.query["device"].flatMap { $0.isEmpty ? nil : $0 }, .serial)
        let officer = try Self.key(request.query["officer"].flatMap { $0.isEmpty ? nil : $0 }, .badge)
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
        let format = try printFormat(request, allowed: ["json", "html", "csv", "pdf"])
        // A printed page carries a checkpoint; the JSON a script polls does not write one.
        let stamp = format == "json" ? nil : try catalog.stamp(reason: "ledger report", actor: request.peer.auditName, reusing: true)
        let head = try stamp?.headHash ?? catalog.auditEntries(limit: 1).last?.hash ?? ""
        let report = LedgerReport(unit: config.station.unit, device: device, officer: officer, from: from, to: to,
                                  generatedAt: stamp?.at ?? Date(), auditHead: head, rows: rows)
        let page = LedgerPage(report: report, timeZone: config.station.resolvedTimeZone, preparer: Preparer.name(of: request.peer), stamp: stamp)
        if format == "csv" { return .csv(page.csv()) }
        return try .printed(page.document(), format: format) ?? .json(report)
    }
}
