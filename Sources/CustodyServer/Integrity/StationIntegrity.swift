import CustodyAPI
import CustodyCatalog
import CustodyCore
import CustodyIngest
import Crypto
import Foundation
import Logging
import Synchronization

/// One finding of an integrity check: a stable key (the same finding keeps its key while rows are
/// added, so an acknowledgment holds) and the sentence people read.
struct IntegrityProblem: Sendable, Equatable {
    var key: String
    var message: String
}

/// The integrity alarm of the station (provable-catalog issue, item 3). A check that finds the
/// chain broken, the catalog rolled back or re-chained against the anchors, or a bound row that
/// disagrees with the chain raises a critical alarm: in `status`, through the alert command and
/// the journal. While it stands, ingest goes on (footage is never refused), every report and disc
/// says so, and disposal and exports are refused until an admin acknowledges it with a reason
/// (audited); a new finding raises it again.
public final class StationIntegrity: Sendable {
    public enum Phase: String, Sendable { case checking, ok, alarm, acknowledged }

    struct State {
        var phase = Phase.checking
        var problems: [IntegrityProblem] = []
        /// Found when the key was loaded; they stand whatever the checks find.
        var keyProblems: [IntegrityProblem] = []
        var warnings: [String] = []
        var checkedAt: Date?
        var fullCheckAt: Date?
        var acknowledged: Set<String> = []
        var acknowledgedBy: String?
        var acknowledgedReason: String?
    }

    let state = Mutex(State())
    let catalog: Catalog
    let heads: AuditHeads
    let anchorFiles: AnchorFiles
    let monitor: IngestMonitor
    let alerts: AlertCenter
    let logger: Logger

    /// Loads (or makes, at first start) the station key and reads what was acknowledged before.
    public init(config: CustodyConfig, catalog: Catalog, monitor: IngestMonitor, logger: Logger) throws {
        let (key, created) = try StationKey.loadOrCreate(path: config.paths.resolvedStationKey)
        self.catalog = catalog
        self.heads = AuditHeads(config: config, key: key, logger: logger)
        self.anchorFiles = heads.anchors
        self.monitor = monitor
        self.alerts = AlertCenter(catalog: catalog, monitor: monitor, settings: config.alerts, logger: logger)
        self.logger = logger
        let earlier = try catalog.auditEntries(object: "station", action: "audit.key-created")
        if created {
            try catalog.audit(actor: "custodyd", action: "audit.key-created", object: "station",
                              detail: ["publicKey": key.publicKeyHex, "keyID": key.keyID, "path": config.paths.resolvedStationKey])
            logger.notice("station signing key made", metadata: ["publicKey": "\(key.publicKeyHex)", "path": "\(config.paths.resolvedStationKey)"])
        }
        // A key made while the chain already names another one: the key file was removed or replaced.
        if let previous = earlier.last, !previous.detail.contains(key.publicKeyHex) {
            state.withLock { $0.keyProblems.append(IntegrityProblem(key: "key-replaced:\(key.publicKeyHex)",
                message: "the station key \(config.paths.resolvedStationKey) is not the one the audit log recorded (row \(previous.seq)); heads signed before cannot be checked against it")) }
        }
        let acknowledged = try catalog.auditEntries(object: "station", action: "integrity.acknowledge")
        state.withLock { s in
            for entry in acknowledged { s.acknowledged.formUnion(Self.problemKeys(inDetail: entry.detail)) }
        }
        // From here on every stamp is signed, anchored, and says whether an alarm stands.
        let heads = self.heads
        catalog.useSeal(StampSeal(key: key, anchor: { head, reason in try heads.anchor(head, reason: reason) },
                                  alarm: { [weak self] in self?.notice?.zh }))
    }

    public var publicKey: String { heads.publicKey }
    public var keyID: String { heads.keyID }
    public var auditHeads: AuditHeads { heads }

    /// Takes the outcome of a check. `full` checks (every row replayed) settle the state; a start
    /// check that found nothing leaves it `checking` until the full one has run.
    func record(_ problems: [IntegrityProblem], warnings: [String], full: Bool, at: Date = Date()) {
        let (raise, standing) = state.withLock { s -> ([IntegrityProblem], Bool) in
            let known = Set(s.problems.map(\.key))
            s.problems = s.keyProblems + problems
            s.warnings = warnings
            s.checkedAt = at
            if full { s.fullCheckAt = at }
            let open = s.problems.filter { !s.acknowledged.contains($0.key) }
            if !open.isEmpty {
                s.phase = .alarm
            } else if !s.problems.isEmpty {
                s.phase = .acknowledged
            } else if full || s.fullCheckAt != nil {
                s.phase = .ok
            }
            return (open.filter { !known.contains($0.key) }, !open.isEmpty)
        }
        for warning in warnings { logger.warning("audit log time", metadata: ["warning": "\(warning)"]) }
        guard standing, !raise.isEmpty else { return }
        for problem in raise { logger.critical("integrity alarm", metadata: ["problem": "\(problem.message)"]) }
        monitor.raiseAlarm("INTEGRITY: " + raise.map(\.message).joined(separator: "; "))
        let digest = SHA256.hash(data: Data(raise.map(\.key).sorted().joined(separator: "\n").utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        alerts.raise(AlertItem(key: "integrity:\(digest)", level: "critical", kind: "integrity",
                               message: "integrity alarm: " + raise.map(\.message).joined(separator: "; ")
                                   + "; disposal and exports are refused until an admin acknowledges (custodyctl audit acknowledge --reason …)",
                               messageZh: "完整性告警：" + raise.map(\.message).joined(separator: "；")
                                   + "；在管理员确认（custodyctl audit acknowledge --reason …）之前，销毁和导出一律拒绝",
                               at: at))
    }

    /// Refuses an operation that takes evidence out of the station or destroys it while an alarm
    /// stands unacknowledged, or before the first full check after the start has finished.
    func refuse(_ operation: String, zh: String) throws {
        let s = state.withLock { $0 }
        switch s.phase {
        case .ok, .acknowledged: return
        case .checking:
            throw APIRefusal(.serviceUnavailable, "integrity-check-running",
                             "\(operation) waits for the integrity check that runs at start (the audit chain replayed against the catalog); try again in a minute",
                             zh: "启动时的完整性检查（审计链与目录比对）尚未完成，\(zh)稍后再试")
        case .alarm:
            let open = s.problems.filter { !s.acknowledged.contains($0.key) }.map(\.message)
            throw APIRefusal(.conflict, "integrity-alarm",
                             "\(operation) is refused while an integrity alarm stands: \(open.joined(separator: "; ")). An admin acknowledges it with a reason: custodyctl audit acknowledge --reason …",
                             zh: "完整性告警未解除，拒绝\(zh)：\(open.joined(separator: "；"))。须由管理员确认并说明原因：custodyctl audit acknowledge --reason …")
        }
    }

    /// An admin's acknowledgment of the standing findings, with a reason; audited. Findings made
    /// later raise the alarm again.
    func acknowledge(reason: String, actor: String) throws -> IntegrityItem {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIRefusal(.badRequest, "reason-required", "an acknowledgment needs a reason saying what was found and done",
                             zh: "确认告警须说明原因（查明了什么、如何处理）")
        }
        let problems = state.withLock { $0.problems }
        guard !problems.isEmpty else {
            throw APIRefusal(.conflict, "no-alarm", "no integrity alarm stands; nothing to acknowledge", zh: "当前没有完整性告警，无需确认")
        }
        try catalog.audit(actor: actor, action: "integrity.acknowledge", object: "station",
                          detail: ["reason": reason, "problems": problems.map(\.key).joined(separator: "\n"),
                                   "messages": problems.map(\.message).joined(separator: "\n")])
        state.withLock { s in
            s.acknowledged.formUnion(problems.map(\.key))
            s.acknowledgedBy = actor
            s.acknowledgedReason = reason
            if s.phase == .alarm { s.phase = .acknowledged }
        }
        logger.warning("integrity alarm acknowledged", metadata: ["by": "\(actor)", "reason": "\(reason)"])
        return item
    }

    /// What `status` shows.
    public var item: IntegrityItem {
        state.withLock { s in
            var item = IntegrityItem(state: s.phase.rawValue, problems: s.problems.map(\.message), warnings: s.warnings,
                                     checkedAt: s.checkedAt, publicKey: heads.publicKey)
            item.acknowledgedBy = s.problems.isEmpty ? nil : s.acknowledgedBy
            item.acknowledgedReason = s.problems.isEmpty ? nil : s.acknowledgedReason
            return item
        }
    }

    /// The line every report and disc made while findings stand carries; nil when there are none.
    public var notice: (en: String, zh: String)? {
        let s = state.withLock { $0 }
        guard !s.problems.isEmpty else { return nil }
        let ack = s.phase == .acknowledged ? " (acknowledged by \(s.acknowledgedBy ?? "?"): \(s.acknowledgedReason ?? ""))" : ""
        let ackZh = s.phase == .acknowledged ? "（已由 \(s.acknowledgedBy ?? "?") 确认：\(s.acknowledgedReason ?? "")）" : ""
        return ("INTEGRITY ALARM\(ack): " + s.problems.map(\.message).joined(separator: "; "),
                "完整性告警\(ackZh)：" + s.problems.map(\.message).joined(separator: "；"))
    }

    static func problemKeys(inDetail detail: String) -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any],
              let keys = object["problems"] as? String else { return [] }
        return Set(keys.split(separator: "\n").map(String.init))
    }
}
