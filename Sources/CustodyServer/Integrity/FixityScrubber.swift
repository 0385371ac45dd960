import CustodyAPI
import CustodyCatalog
import CustodyCore
import CustodyIngest
import Foundation
import Logging
import ServiceLifecycle

/// Re-hashes the whole store in the background at a limited rate, one pass per period, resuming
/// where it stopped after a restart (access issue, "Fixity scrub"). A missing or changed file is
/// an alarm, an alert and an audit row at once; `custodyctl fsck` does the same check on demand.
public struct FixityScrubber: Service {
    let catalog: Catalog
    let store: EvidenceStore
    let monitor: IngestMonitor
    let alerts: AlertCenter
    let settings: CustodyConfig.Scrub
    let logger: Logger

    public init(config: CustodyConfig, catalog: Catalog, store: EvidenceStore, monitor: IngestMonitor, logger: Logger) {
        self.catalog = catalog; self.store = store; self.monitor = monitor; self.settings = config.scrub; self.logger = logger
        self.alerts = AlertCenter(catalog: catalog, monitor: monitor, settings: config.alerts, logger: logger)
    }

    public func run() async throws {
        // Turned off, it still stays in the service group until shutdown: a service that returns
        // early is "finished unexpectedly" to ServiceGroup, which then stops the whole daemon.
        guard settings.enabled else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let pause = (try? self.step()) ?? 5
                try? await Task.sleep(for: .milliseconds(Int(pause * 1000)))
            }
        }
    }

    /// Checks the next few clips; returns how long to wait before the next step (the rate limit,
    /// or the rest of the period after a finished pass).
    func step(now: Date = Date()) throws -> Double {
        // passStartedAt: when the current pass started, or when the next one may start.
        var state = try catalog.scrubState() ?? (passStartedAt: now, lastSHA256: "", passes: 0)
        if state.lastSHA256.isEmpty && now < state.passStartedAt {
            return min(60, state.passStartedAt.timeIntervalSince(now))
        }
        let batch = try catalog.clipsAfter(state.lastSHA256, limit: 16)
        if batch.isEmpty {
            if !state.lastSHA256.isEmpty {
                state.passes += 1
                logger.info("fixity scrub pass complete", metadata: ["passes": "\(state.passes)"])
                try catalog.audit(actor: "custodyd", action: "scrub.pass", object: "store", detail: ["passes": String(state.passes)])
            }
            let next = max(now, state.passStartedAt.addingTimeInterval(settings.periodDays * 86_400))
            try catalog.saveScrubState(passStartedAt: next, lastSHA256: "", passes: state.passes)
            return 1
        }
        var bytes: UInt64 = 0
        for clip in batch {
            let found = try store.rehash(clip.sha256)
            if found == nil || found!.sha256 != clip.sha256 || found!.size != clip.size {
                report(clip.sha256, missing: found == nil, now: now)
            }
            bytes += found?.size ?? 0
            state.lastSHA256 = clip.sha256
        }
        try catalog.saveScrubState(passStartedAt: state.passStartedAt, lastSHA256: state.lastSHA256, passes: state.passes)
        return Double(bytes) / settings.bytesPerSecond
    }

    func report(_ sha256: String, missing: Bool, now: Date) {
        let what = missing ? "is missing from the store" : "no longer matches its SHA-256"
        let message = "fixity scrub: clip \(sha256) \(what); restore it from its disc copy or backup and tell the auditor"
        let zh = "完整性巡检：录像 \(sha256) \(missing ? "在存储中缺失" : "内容与其 SHA-256 不符")，请从光盘或备份恢复并报告审计人员"
        logger.critical("fixity scrub found a damaged clip", metadata: ["sha256": "\(sha256)", "missing": "\(missing)"])
        monitor.raiseAlarm(message)
        _ = try? catalog.audit(actor: "custodyd", action: missing ? "scrub.missing" : "scrub.changed", object: "clip:\(sha256)")
        alerts.raise(AlertItem(key: "fixity:\(sha256)", level: "critical", kind: "fixity", message: message, messageZh: zh, at: now))
    }
}
