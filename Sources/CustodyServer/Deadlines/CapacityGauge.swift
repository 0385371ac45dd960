import CustodyAPI
import CustodyCatalog
import CustodyCore
import CustodyIngest
import Foundation

/// The store's room (deadlines issue, "Storage capacity"): free space, the last week's ingest
/// rate, days until the reserve is reached, and the warning level those give.
struct CapacityGauge: Sendable {
    let catalog: Catalog
    let store: EvidenceStore
    let monitor: IngestMonitor
    let config: CustodyConfig

    func measure(now: Date = Date()) throws -> CapacityItem {
        var vfs = statvfs()
        let ok = statvfs(store.root, &vfs) == 0
        let total = ok ? UInt64(vfs.f_blocks) * UInt64(vfs.f_frsize) : 0
        let free = ok ? UInt64(vfs.f_bavail) * UInt64(vfs.f_frsize) : 0
        let reserve = config.ingest.reserveBytes
        let perDay = Double(try catalog.bytesIngested(since: now.addingTimeInterval(-7 * 86_400))) / 7
        let usable = Double(free > reserve ? free - reserve : 0)
        let days: Double? = perDay > 0 ? usable / perDay : nil
        let percent = total > 0 ? Double(free) / Double(total) * 100 : 0
        let paused = monitor.pausedReason != nil
        let limits = config.capacity
        let level: String
        if paused || free <= reserve || percent < limits.criticalFreePercent || (days.map { $0 < limits.criticalDays } ?? false) {
            level = "critical"
        } else if percent < limits.warningFreePercent || (days.map { $0 < limits.warningDays } ?? false) {
            level = "warning"
        } else {
            level = "ok"
        }
        return CapacityItem(path: store.root, totalBytes: total, freeBytes: free, reserveBytes: reserve, freePercent: percent,
                            bytesPerDay: perDay, daysUntilFull: days, level: level, paused: paused)
    }

    /// The alert for a capacity at warning or critical level.
    static func alert(_ c: CapacityItem, pausedReason: String?, at: Date) -> AlertItem {
        let gib = { (b: UInt64) in String(format: "%.1f GiB", Double(b) / 1_073_741_824) }
        let days = c.daysUntilFull.map { String(format: "%.0f", $0) }
        var en = "store \(c.path) \(c.level): \(gib(c.freeBytes)) free (\(String(format: "%.1f", c.freePercent)) %)"
        var zh = "存储 \(c.path) 空间\(c.level == "critical" ? "严重不足" : "不足")：剩余 \(gib(c.freeBytes))（\(String(format: "%.1f", c.freePercent))%）"
        if let days { en += ", full in about \(days) days at the current rate"; zh += "，按当前速度约 \(days) 天后写满" }
        if let pausedReason { en += "; INGEST PAUSED: \(pausedReason)"; zh += "；导入已暂停，腾出空间后自动继续" }
        en += "; free space or add a disk"
        zh += "。请清理空间或扩容。"
        return AlertItem(key: "storage", level: c.level, kind: "storage", message: en, messageZh: zh, at: at)
    }
}
