import CustodyAPI
import CustodyCatalog
import CustodyCore
import CustodyIngest
import Foundation
import Logging
import ServiceLifecycle

/// Looks at every deadline and at the store's room every `[deadlines] scan_seconds`, before
/// anything is late (deadlines issue, "Live watch"). Items that became overdue or escalated, and
/// storage at warning or critical, go to the `AlertCenter`, which announces each once; alerts
/// whose condition is over are cleared so a recurrence is announced again.
public struct DeadlineWatcher: Service {
    let catalog: Catalog
    let rules: PolicySource
    let alerts: AlertCenter
    let capacity: CapacityGauge
    let monitor: IngestMonitor
    let store: EvidenceStore
    let config: CustodyConfig
    let logger: Logger

    /// The daily signed checkpoint is `IntegrityWatch`'s (every stamp is signed through `Catalog.stamp`).
    public init(config: CustodyConfig, catalog: Catalog, store: EvidenceStore, monitor: IngestMonitor, rules: PolicySource,
                logger: Logger) {
        self.config = config; self.catalog = catalog; self.rules = rules; self.monitor = monitor; self.logger = logger
        self.store = store
        self.alerts = AlertCenter(catalog: catalog, monitor: monitor, settings: config.alerts, logger: logger)
        self.capacity = CapacityGauge(catalog: catalog, store: store, monitor: monitor, config: config)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.scan()
                try? await Task.sleep(for: .milliseconds(Int(self.config.alerts.scanSeconds * 1000)))
            }
        }
    }

    /// One pass; returns the alerts that were new.
    @discardableResult
    func scan(now: Date = Date()) -> [AlertItem] {
        var raised: [AlertItem] = []
        var active: Set<String> = []
        do {
            let items = try catalog.deadlineItems(now: now, policy: rules.policy, lookbackDays: config.alerts.lookbackDays)
            for item in items where item.status != .dueSoon {
                active.insert(item.key)
                let alert = DeadlineAlertText.alert(item, at: now, timeZone: config.station.resolvedTimeZone)
                if alerts.raise(alert) { raised.append(alert) }
            }
            let room = try capacity.measure(now: now)
            if room.level != "ok" {
                active.insert("storage")
                let alert = CapacityGauge.alert(room, pausedReason: monitor.pausedReason, at: now)
                if alerts.raise(alert) { raised.append(alert) }
            }
            // A camera that stopped answering mid-copy (a stalled USB or FUSE source). Once every
            // byte of the medium is read, the dump waits on the store (the fsync and read-back of
            // a large clip take many seconds on a busy disk), not on the camera: no stall then.
            for dump in monitor.active where dump.state == .copying && dump.bytesMoved < dump.bytesTotal
                && now.timeIntervalSince(dump.lastActivityAt) >= config.ingest.stallSeconds {
                let key = "stall:\(dump.dumpID)"
                active.insert(key)
                let seconds = Int(now.timeIntervalSince(dump.lastActivityAt))
                let file = dump.currentFile ?? "?"
                let alert = AlertItem(key: key, level: "critical", kind: "stall",
                                      message: "dump \(dump.dumpID) at \(dump.mountPoint): the camera has delivered no data for \(seconds) s (reading \(file)); check the cable and the camera. The copy goes on by itself if it answers again, and resumes on re-plugging if it goes away",
                                      messageZh: "导入 \(dump.dumpID)（\(dump.mountPoint)）：记录仪已 \(seconds) 秒无数据（正在读取 \(file)），请检查数据线和记录仪；恢复后自动继续，拔出重插后续传",
                                      at: now)
                if alerts.raise(alert) { raised.append(alert) }
            }
            if config.discs.autoPlan { raised += try planDiscsIfDue(now: now) }
            let prefixes = DeadlineItem.Kind.allCases.map { $0.rawValue + ":" } + ["storage", "stall:"]
            try catalog.clearAlerts(notIn: active, prefixes: prefixes, at: now)
        } catch {
            logger.error("deadline scan failed", metadata: ["error": "\(error)"])
        }
        return raised
    }

    /// Plans disc sets when the long-term queue fills a disc or its oldest clip waited long enough
    /// (`[discs] max_wait_days`), and announces each new set so someone burns it.
    func planDiscsIfDue(now: Date) throws -> [AlertItem] {
        let queue = try catalog.discQueue()
        let due = DiscSchedule.shouldPlan(queuedBytes: queue.reduce(0) { $0 + DiscSpace.footprint(ofFileSize: $1.sizeBytes) },
                                          oldestQueuedAt: queue.map(\.queuedAt).min(), now: now,
                                          maxWaitDays: Int(config.discs.maxWaitDays), media: config.discs.media)
        guard due.plan else { return [] }
        let aged = !due.reason.contains("enough to fill")
        let workshop = DiscWorkshop(config: config, catalog: catalog, store: store, monitor: monitor, logger: logger)
        let plan = try workshop.plan(media: config.discs.media, force: aged, actor: "custodyd")
        return plan.sets.compactMap { set in
            let alert = AlertItem(key: "disc-plan:\(set.id)", level: "warning", kind: "disc-plan",
                                  message: "disc set \(set.id) planned (\(set.files.count) clips, \(String(format: "%.1f", set.fillRatio * 100)) % full, \(due.reason)); burn copies A and B: custodyctl discs burn \(set.id)",
                                  messageZh: "已编排光盘组 \(set.id)（\(set.files.count) 条录像），请刻录 A、B 两份：custodyctl discs burn \(set.id)", at: now)
            return alerts.raise(alert) ? alert : nil
        }
    }
}
