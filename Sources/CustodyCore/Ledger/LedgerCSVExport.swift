import Foundation

extension LedgerCSV {
    /// CSV text for export: UTF-8 with BOM (without it Chinese Excel assumes
    /// GBK and shows mojibake), CRLF line ends, Chinese or English headers,
    /// fields quoted when needed. Free-text cells that Excel would evaluate as
    /// formulas get a leading `'`, which `parse` removes again.
    public static func export(officers: [OfficerRow], chinese: Bool) -> [UInt8] {
        let rows = officers.map { o in
            [o.badge, LedgerText.guardFormula(o.name), LedgerText.guardFormula(o.unit),
             chinese ? (o.active ? "在职" : "离职") : (o.active ? "yes" : "no")]
        }
        return write(header(.officers, chinese), rows)
    }

    public static func export(devices: [DeviceRow], chinese: Bool) -> [UInt8] {
        let rows = devices.map { d -> [String] in
            let status: String
            switch d.status {
            case .inService: status = chinese ? "在用" : DeviceStatus.inService.rawValue
            case .repair: status = chinese ? "维修" : DeviceStatus.repair.rawValue
            case .retired: status = chinese ? "报废" : DeviceStatus.retired.rawValue
            }
            return [d.serial, LedgerText.guardFormula(d.brand), LedgerText.guardFormula(d.model),
                    LedgerText.guardFormula(d.unit), d.keeperBadge ?? "", status]
        }
        return write(header(.devices, chinese), rows)
    }

    /// Times are written as "yyyy-MM-dd HH:mm:ss" wall-clock in `timeZone`.
    public static func export(handovers: [HandoverRow], timeZone: TimeZone, chinese: Bool) -> [UInt8] {
        let calendar = LedgerTime.calendar(timeZone)
        let rows = handovers.map { h in
            [h.serial, h.badge,
             LedgerTime.format(h.checkedOutAt, calendar: calendar),
             h.checkedInAt.map { LedgerTime.format($0, calendar: calendar) } ?? "",
             chinese ? (h.offsite ? "是" : "否") : (h.offsite ? "yes" : "no"),
             LedgerText.guardFormula(h.note)]
        }
        return write(header(.handovers, chinese), rows)
    }

    private static func header(_ table: LedgerTable, _ chinese: Bool) -> [String] {
        LedgerColumns.specs(for: table).map { chinese ? $0.chinese : $0.english }
    }

    private static func write(_ header: [String], _ rows: [[String]]) -> [UInt8] {
        var out = "\u{FEFF}"
        for row in [header] + rows {
            out += row.map(quote).joined(separator: ",")
            out += "\r\n"
        }
        return Array(out.utf8)
    }

    /// Quotes a cell when it holds a separator, quote or line break, or has
    /// edge spaces (which importers, including ours, would otherwise trim).
    private static func quote(_ cell: String) -> String {
        let needs = cell.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" || $0 == "\t" }
            || cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
        guard needs else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
