import CustodyAPI
import CustodyCore
import Foundation

/// Words for deadline items, for log lines, alerts and the alert command (English and Chinese).
enum DeadlineAlertText {
    static func entry(_ item: DeadlineItem) -> DeadlineEntry {
        DeadlineEntry(kind: item.kind.rawValue, key: item.key, status: item.status.rawValue, officerBadge: item.officerBadge,
                      officerName: item.officerName, deviceSerial: item.deviceSerial, caseNumber: item.caseNumber,
                      since: item.since, dueAt: item.dueAt, lateSeconds: item.lateSeconds, count: item.count, rule: item.rule)
    }

    static func alert(_ item: DeadlineItem, at: Date, timeZone: TimeZone) -> AlertItem {
        let who = [item.officerName, item.officerBadge.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        let due = StationTime.format(item.dueAt, timeZone: timeZone)
        let late = duration(item.lateSeconds)
        let lateZh = durationZh(item.lateSeconds)
        let en: String, zh: String
        switch item.kind {
        case .deviceOut:
            en = "device \(item.deviceSerial ?? "?") checked out to \(who) since \(StationTime.format(item.since, timeZone: timeZone)) has not been dumped; upload was due \(due), late by \(late)"
            zh = "设备 \(item.deviceSerial ?? "?")（\(who)）领用后未导入，上传期限 \(due)，已超期 \(lateZh)"
        case .deviceNotDumped:
            en = "device \(item.deviceSerial ?? "?") checked in by \(who) was not dumped; upload was due \(due), late by \(late)"
            zh = "设备 \(item.deviceSerial ?? "?")（\(who)）已归还但未导入，上传期限 \(due)，已超期 \(lateZh)"
        case .annotation:
            en = "\(item.count) clips of \(who.isEmpty ? "unknown officer" : who) not annotated; due \(due), late by \(late)"
            zh = "\(who.isEmpty ? "未知警员" : who) 有 \(item.count) 条录像未标注，期限 \(due)，已超期 \(lateZh)"
        case .caseArchive:
            en = "case \(item.caseNumber ?? "?") closed \(StationTime.format(item.since, timeZone: timeZone)) is not archived; due \(due), late by \(late)"
            zh = "案件 \(item.caseNumber ?? "?") 已结案未归档，归档期限 \(due)，已超期 \(lateZh)"
        }
        var alert = AlertItem(key: item.key, level: item.status.rawValue, kind: item.kind.rawValue, message: en, messageZh: zh, at: at)
        alert.officerBadge = item.officerBadge
        alert.officerName = item.officerName
        alert.deviceSerial = item.deviceSerial
        alert.caseNumber = item.caseNumber
        alert.dueAt = item.dueAt
        alert.lateSeconds = item.lateSeconds
        return alert
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s >= 86_400 { return "\(s / 86_400) d \(s % 86_400 / 3600) h" }
        if s >= 3600 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 60) min \(s % 60) s"
    }

    static func durationZh(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s >= 86_400 { return "\(s / 86_400) 天 \(s % 86_400 / 3600) 小时" }
        if s >= 3600 { return "\(s / 3600) 小时 \(s % 3600 / 60) 分" }
        return "\(s / 60) 分 \(s % 60) 秒"
    }
}
