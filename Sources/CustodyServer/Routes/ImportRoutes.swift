import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation
import NIOCore

/// CSV import and export of the ledger, as agencies keep it in Excel (ledger issue, item 4).
extension APIHandlers {
    /// `POST /v1/import/{officers|devices|handovers}[?dryRun=1]` with the CSV file as the body.
    /// All or nothing: any bad line refuses the whole file, with every bad line listed.
    func importCSV(table name: String, _ request: APIRequest) throws -> APIResponse {
        guard let table = LedgerTable(rawValue: name) else {
            throw APIRefusal.notFound("no ledger table \(name); use officers, devices or handovers")
        }
        let dryRun = ["1", "true", "yes"].contains(request.query["dryRun"] ?? "")
        let parsed = LedgerCSV.parse(Array(request.body.readableBytesView), table: table, timeZone: config.station.resolvedTimeZone)
        var errors = parsed.errors.map { ImportReport.LineError(line: $0.line, column: $0.column, reason: $0.reason, reasonZh: $0.reasonZh) }
        var outcome = LedgerImportOutcome()
        if errors.isEmpty {
            // With no CSV errors every row was kept in order; data line i is file line i + 2.
            // Badges and serials in their one stored spelling (`TypedKey`); a key that cannot be one is a bad line.
            var keyErrors: [ImportReport.LineError] = []
            func key(_ text: String, _ kind: TypedKey.Kind, line: Int, column: String) -> String {
                switch TypedKey.normalize(text, kind) {
                case .success(let key): return key
                case .failure(let problem):
                    keyErrors.append(ImportReport.LineError(line: line, column: column, reason: problem.message))
                    return text
                }
            }
            let records: [LedgerRecord]
            switch table {
            case .officers:
                records = parsed.officers.enumerated().map { i, o in
                    .officer(Officer(badge: key(o.badge, .badge, line: i + 2, column: "badge"), name: o.name, unit: o.unit, active: o.active))
                }
            case .devices:
                records = parsed.devices.enumerated().map { i, d in
                    .device(Device(serial: key(d.serial, .serial, line: i + 2, column: "serial"), brand: d.brand, model: d.model, unit: d.unit,
                                   keeperBadge: d.keeperBadge.map { key($0, .badge, line: i + 2, column: "keeper") },
                                   status: Device.Status(rawValue: d.status.rawValue) ?? .inService))
                }
            case .handovers:
                records = parsed.handovers.enumerated().map { i, h in
                    .handover(Handover(id: 0, serial: key(h.serial, .serial, line: i + 2, column: "serial"),
                                       badge: key(h.badge, .badge, line: i + 2, column: "badge"), checkedOutAt: h.checkedOutAt,
                                       checkedInAt: h.checkedInAt, offsite: h.offsite, note: h.note))
                }
            }
            if keyErrors.isEmpty {
                outcome = try catalog.importLedger(records.enumerated().map { ($0.offset + 2, $0.element) },
                                                   actor: request.peer.auditName, dryRun: dryRun, policy: rules.policy)
                errors = outcome.errors.map { ImportReport.LineError(line: $0.line, column: "", reason: $0.reason, reasonZh: $0.reasonZh) }
            } else {
                errors = keyErrors
            }
        }
        let accepted = errors.isEmpty && !dryRun
        var report = ImportReport(table: name, encoding: parsed.encoding, dryRun: dryRun, accepted: accepted,
                                  added: outcome.added, changed: outcome.changed, unchanged: outcome.unchanged, errors: errors)
        let badges = parsed.officers.map { ("badge", $0.badge) } + parsed.devices.map { ("keeper", $0.keeperBadge ?? "") }
            + parsed.handovers.map { ("badge", $0.badge) }
        // Rows map to lines only when every line parsed (data line i is file line i + 2).
        report.warnings = !parsed.errors.isEmpty ? [] : badges.enumerated().compactMap { index, entry in
            BadgeZeros.suspect(entry.1).map { ImportReport.LineError(line: index + 2, column: entry.0, reason: BadgeZeros.warning(entry.1, padded: $0)) }
        }
        if !errors.isEmpty {
            auditRefusal(peer: request.peer, what: "POST \(request.path)",
                         why: "import of \(name) refused: \(errors.count) bad lines (\(errors.prefix(10).map { String($0.line) }.joined(separator: ", ")))")
            return .json(report, status: .unprocessableEntity)
        }
        return .json(report)
    }

    /// `GET /v1/export/{table}[?lang=zh]`: UTF-8 CSV with a BOM, so Excel shows Chinese correctly.
    func exportCSV(table name: String, _ request: APIRequest) throws -> APIResponse {
        let chinese = request.query["lang"]?.hasPrefix("zh") ?? false
        let zone = config.station.resolvedTimeZone
        let bytes: [UInt8]
        switch LedgerTable(rawValue: name) {
        case .officers:
            bytes = LedgerCSV.export(officers: try catalog.officers().map { OfficerRow(badge: $0.badge, name: $0.name, unit: $0.unit, active: $0.active) }, chinese: chinese)
        case .devices:
            bytes = LedgerCSV.export(devices: try catalog.devices().map {
                DeviceRow(serial: $0.serial, brand: $0.brand, model: $0.model, unit: $0.unit, keeperBadge: $0.keeperBadge,
                          status: DeviceStatus(rawValue: $0.status.rawValue) ?? .inService)
            }, chinese: chinese)
        case .handovers:
            bytes = LedgerCSV.export(handovers: try catalog.handovers().map {
                HandoverRow(serial: $0.serial, badge: $0.badge, checkedOutAt: $0.checkedOutAt, checkedInAt: $0.checkedInAt,
                            offsite: $0.offsite, note: $0.note)
            }, timeZone: zone, chinese: chinese)
        case nil:
            throw APIRefusal.notFound("no ledger table \(name); use officers, devices or handovers")
        }
        return APIResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: ByteBuffer(bytes: bytes))
    }
}
