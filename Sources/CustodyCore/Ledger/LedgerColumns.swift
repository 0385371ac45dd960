import Foundation

/// One logical column of a ledger sheet and every header spelling that means it.
struct LedgerColumnSpec: Sendable {
    var field: String
    /// Export header names; also used to name a missing column in an error.
    var chinese: String
    var english: String
    var aliases: [String]
    var required: Bool
}

/// Where each logical column sits in one particular file, and how its header
/// was written there (errors quote the clerk's own header text).
struct LedgerHeaderMap: Sendable {
    var index: [String: Int] = [:]
    var written: [String: String] = [:]
    var width = 0
}

/// Header aliases per table. Agencies name columns differently (警号 vs
/// 警员编号, 产品序号 vs 设备编号), so matching is by alias after `LedgerText.key`.
enum LedgerColumns {
    private static let serial = ["产品序号", "设备编号", "序列号", "serial", "device serial"]

    static func specs(for table: LedgerTable) -> [LedgerColumnSpec] {
        switch table {
        case .officers:
            return [
                .init(field: "badge", chinese: "警号", english: "badge", aliases: ["警号", "警员编号", "badge", "badge number"], required: true),
                .init(field: "name", chinese: "姓名", english: "name", aliases: ["姓名", "name"], required: true),
                .init(field: "unit", chinese: "单位", english: "unit", aliases: ["单位", "所属单位", "unit"], required: true),
                .init(field: "active", chinese: "状态", english: "active", aliases: ["状态", "在职", "active", "status"], required: false),
            ]
        case .devices:
            return [
                .init(field: "serial", chinese: "产品序号", english: "serial", aliases: serial, required: true),
                .init(field: "brand", chinese: "品牌", english: "brand", aliases: ["品牌", "brand"], required: true),
                .init(field: "model", chinese: "型号", english: "model", aliases: ["型号", "model"], required: true),
                .init(field: "unit", chinese: "单位", english: "unit", aliases: ["单位", "所属单位", "unit"], required: true),
                .init(field: "keeper", chinese: "保管人警号", english: "keeper badge", aliases: ["保管人", "保管人警号", "keeper", "keeper badge"], required: false),
                .init(field: "status", chinese: "状态", english: "status", aliases: ["状态", "status"], required: false),
            ]
        case .handovers:
            return [
                .init(field: "serial", chinese: "产品序号", english: "serial", aliases: serial, required: true),
                .init(field: "badge", chinese: "警号", english: "badge", aliases: ["警号", "领用人警号", "使用人警号", "badge"], required: true),
                .init(field: "checkedOutAt", chinese: "领用时间", english: "checked out", aliases: ["领用时间", "借出时间", "checkout", "checked out"], required: true),
                .init(field: "checkedInAt", chinese: "归还时间", english: "checked in", aliases: ["归还时间", "checkin", "checked in"], required: false),
                .init(field: "offsite", chinese: "异地", english: "offsite", aliases: ["异地", "外出", "连续执勤", "offsite"], required: false),
                .init(field: "note", chinese: "备注", english: "note", aliases: ["备注", "note"], required: false),
            ]
        }
    }

    /// Maps the header row to columns. Unknown headers are ignored (agencies
    /// keep extra columns such as 电话 or 备用); two headers meaning the same
    /// field, or a missing required one, are reported on the header's line.
    static func resolve(_ header: [String], line: Int = 1, table: LedgerTable) -> (LedgerHeaderMap, [CSVLineError]) {
        let specs = specs(for: table)
        var lookup: [String: String] = [:]
        for spec in specs {
            for alias in spec.aliases { lookup[LedgerText.key(alias)] = spec.field }
        }
        var map = LedgerHeaderMap(width: header.count)
        var errors: [CSVLineError] = []
        for (i, raw) in header.enumerated() {
            let written = LedgerText.trim(raw.replacingOccurrences(of: "\u{FEFF}", with: ""))
            guard let field = lookup[LedgerText.key(written)] else { continue }
            if let first = map.written[field] {
                errors.append(CSVLineError(line: line, column: written,
                    reason: "columns \"\(first)\" and \"\(written)\" mean the same thing; delete one of them",
                    zh: "“\(first)”和“\(written)”是同一列，请删除其中一列"))
                continue
            }
            map.index[field] = i
            map.written[field] = written
        }
        let chinese = header.contains(where: LedgerText.hasNonASCII)
        for spec in specs where spec.required && map.index[spec.field] == nil {
            let name = chinese ? spec.chinese : spec.english
            errors.append(CSVLineError(line: line, column: name,
                reason: "the required column \"\(name)\" is missing from the header row (accepted names: \(spec.aliases.joined(separator: ", ")))",
                zh: "表头缺少必需的列“\(name)”（可用列名：\(spec.aliases.joined(separator: "、"))）"))
        }
        return (map, errors)
    }
}

/// Words clerks write for yes/no and status cells, matched after `LedgerText.key`.
enum LedgerVocabulary {
    static func active(_ s: String) -> Bool? {
        switch LedgerText.key(s) {
        case "", "在职", "在岗", "启用", "active", "yes", "是", "1", "true": return true
        case "离职", "停用", "调离", "inactive", "no", "否", "0", "false": return false
        default: return nil
        }
    }

    static func yesNo(_ s: String) -> Bool? {
        switch LedgerText.key(s) {
        case "", "否", "no", "0", "false": return false
        case "是", "yes", "1", "true": return true
        default: return nil
        }
    }

    static func status(_ s: String) -> DeviceStatus? {
        switch LedgerText.key(s) {
        case "", "在用", "正常", "inservice": return .inService
        case "维修", "送修", "repair": return .repair
        case "报废", "停用", "retired": return .retired
        default: return nil
        }
    }
}
