import CustodyAPI
import CustodyCatalog
import CustodyCore
import CustodyIngest
import Foundation
import Logging

/// What answers the admin API's routes (`RouteTable`), in terms of the catalog, the store and
/// live progress; the handlers themselves live in the files of their concern (`Routes/`, `Reports/`).
public struct APIHandlers: Sendable {
    public static let version = "0.1.0"
    let config: CustodyConfig
    let catalog: Catalog
    let store: EvidenceStore
    let monitor: IngestMonitor
    let startedAt: Date
    let logger: Logger
    let access: AccessPolicy
    let rules: PolicySource
    /// Playback looks already audited (the web console fetches a clip range by range).
    let playbackLooks = PlaybackLooks()
    /// The station key, the signed heads and the integrity alarm (provable-catalog issue).
    let integrity: StationIntegrity
    /// Refusals at the door (too many connections) in the audit log, one row per user per interval.
    let refusals: RefusalLog
    /// Long work (fsck, audit verify) as background jobs on threads of their own (issue 18, item 4).
    let jobs: JobBoard

    public init(config: CustodyConfig, catalog: Catalog, store: EvidenceStore, monitor: IngestMonitor, rules: PolicySource,
                integrity: StationIntegrity, startedAt: Date, logger: Logger) {
        self.config = config; self.catalog = catalog; self.store = store; self.monitor = monitor; self.rules = rules
        self.integrity = integrity
        self.startedAt = startedAt; self.logger = logger; self.access = AccessPolicy(api: config.api)
        self.refusals = RefusalLog(catalog: catalog, logger: logger, limits: config.limits)
        self.jobs = JobBoard(events: monitor.events, logger: logger)
    }

    /// The refusal log, a service of the daemon (it writes each interval's counts).
    public var refusalLog: RefusalLog { refusals }

    /// Every refused request goes through here into the refusal log, which writes a row, or counts
    /// it into the interval's row when the same user repeats it (availability issue, item 5).
    func auditRefusal(peer: PeerIdentity, what: String, why: String) {
        refusals.record(peer: peer, what: what, why: why)
    }

    func status() throws -> StatusResponse {
        let head = try catalog.auditEntries(limit: 1).last
        let paused = monitor.pausedReason
        var response = StatusResponse(
            version: Self.version, unit: config.station.unit, startedAt: startedAt,
            ingest: .init(active: monitor.busyCount, paused: paused != nil, pausedReason: paused),
            clips: .init(total: try catalog.clipCount() - catalog.disposedCount(), disposed: try catalog.disposedCount()),
            store: .init(path: store.root, freeBytes: store.freeBytes()),
            alarms: monitor.alarms, auditHead: head?.hash ?? "", auditRows: head?.seq ?? 0)
        response.capacity = try? capacityGauge.measure()
        response.openAlerts = try openAlertItems()
        response.calendarProblem = rules.calendarProblem
        response.timeZone = config.station.resolvedTimeZone.identifier
        response.fsckProgress = monitor.fsckProgress.map { [$0.done, $0.total] }
        response.integrity = integrity.item
        response.jobs = jobs.items()
        return response
    }

    /// Which roles may see confidential metadata (`confidentialRoles` in the config).
    var clearance: ConfidentialityClearance {
        var cleared: [Confidentiality: Set<StationRole>] = [:]
        for (flag, roles) in config.confidentialRoles {
            guard let key = Confidentiality(rawValue: Self.camel(flag)) else { continue }
            cleared[key] = Set(roles.compactMap(StationRole.init(rawValue:)))
        }
        return ConfidentialityClearance(cleared: cleared)
    }

    /// `GET /v1/clips/:clip`: refused, and audited, when the caller is not cleared for its flags;
    /// a cleared look at a confidential clip is audited too.
    func clipDetail(_ request: APIRequest) throws -> APIResponse {
        let id = request.parameter("clip")
        switch try request.reader.clip(matching: id) {
        case .none:
            throw APIRefusal.notFound("no single clip matches \(id); give the full SHA-256 or a unique prefix of at least 8 hex digits",
                                      zh: "没有唯一匹配 \(id) 的录像")
        case .withheld(_, let flags):
            throw Self.confidential(id, flags, request.peer)
        case .visible(let clip, let flags):
            return .json(try detail(clip, flags: flags, request))
        }
    }

    /// The answer about a clip after a change (retain, confidential): its detail when the caller
    /// may see it, else the same shape with everything but the hash withheld.
    func clipAnswer(_ sha256: String, _ request: APIRequest) throws -> APIResponse {
        guard case .visible(let clip, let flags) = try request.reader.clip(matching: sha256) else {
            return .json(ClipDetail(clip: ClipItem(sha256: sha256, sizeBytes: 0, sourcePath: CatalogReader.withheld, deviceSerial: nil,
                                                   officerBadge: nil, recordedAt: nil, timeSource: "", durationSeconds: nil, mediaKind: "",
                                                   format: "", ingestedAt: Date(timeIntervalSince1970: 0), dueAt: nil, late: false, flags: []),
                                    storePath: "", provenance: [], audit: []))
        }
        return .json(try detail(clip, flags: flags, request))
    }

    /// A clip a change names, by hash or unique prefix: refused when there is no such clip, when
    /// the caller may not see it (no one acts on a clip they are not cleared for), or when it was
    /// disposed (issue 19: every changing route that names a clip resolves it here, and
    /// `DisposedClipEndToEndTests` calls each of them on a disposed clip).
    func visibleClip(_ prefix: String, _ request: APIRequest) throws -> Clip {
        let clip = try namedClip(prefix, request)
        try refuseIfDisposed(clip)
        return clip
    }

    /// A clip a read names (the audit rows of a clip): as `visibleClip`, disposed clips included.
    func namedClip(_ prefix: String, _ request: APIRequest) throws -> Clip {
        switch try request.reader.clip(matching: prefix) {
        case .none:
            throw APIRefusal.notFound("no single clip matches \(prefix); give the full SHA-256 or a unique prefix of at least 8 hex digits",
                                      zh: "没有唯一匹配 \(prefix) 的录像")
        case .withheld(_, let flags): throw Self.confidential(prefix, flags, request.peer)
        case .visible(let clip, _): return clip
        }
    }

    /// The clip a read names, through the caller's reader (one clearance check for every route
    /// showing one clip or its bytes): nil when no single clip matches, refused (and audited) when
    /// the caller is not cleared for it. A cleared look at a confidential clip is audited, unless
    /// the route audits its own looks (playback, once per session).
    func viewableClip(_ id: String, _ request: APIRequest, auditingConfidentialLook: Bool = true) throws -> Clip? {
        switch try request.reader.clip(matching: id) {
        case .none: return nil
        case .withheld(_, let flags): throw Self.confidential(id, flags, request.peer)
        case .visible(let clip, let flags):
            if auditingConfidentialLook && !flags.isEmpty {
                try catalog.audit(actor: request.peer.auditName, action: "clip.view-confidential", object: "clip:\(clip.sha256)",
                                  detail: ["flags": flags.map(\.rawValue).sorted().joined(separator: ",")])
            }
            return clip
        }
    }

    static func confidential(_ id: String, _ flags: Set<Confidentiality>, _ peer: PeerIdentity) -> APIRefusal {
        APIRefusal(.forbidden, "confidential", "clip \(id) is confidential (\(flags.map(\.nameEn).sorted().joined(separator: ", "))); \(peer.auditName) is not cleared to see it",
                   zh: "录像 \(id) 涉密（\(flags.map(\.nameZh).sorted().joined(separator: "、"))），\(peer.auditName) 无权查看")
    }

    func detail(_ clip: Clip, flags: Set<Confidentiality>, _ request: APIRequest) throws -> ClipDetail {
        if !flags.isEmpty {
            try catalog.audit(actor: request.peer.auditName, action: "clip.view-confidential", object: "clip:\(clip.sha256)",
                              detail: ["flags": flags.map(\.rawValue).sorted().joined(separator: ",")])
        }
        let provenance = try catalog.provenance(sha256: clip.sha256).map {
            ProvenanceItem(dumpID: $0.dumpID, sourcePath: $0.sourcePath, sourcePathHex: $0.sourcePathHex,
                           sourceSize: $0.sourceSize, copiedAt: $0.copiedAt, mountPoint: $0.mountPoint)
        }
        let audit = try catalog.auditEntries(object: "clip:\(clip.sha256)").map(Self.item)
        var detail = ClipDetail(clip: Self.item(clip), storePath: clip.disposedAt == nil ? store.path(for: clip.sha256) : "", provenance: provenance, audit: audit)
        detail.tombstone = try catalog.tombstone(sha256: clip.sha256).map(Self.item)
        detail.annotations = try catalog.annotations(sha256: clip.sha256).map(Self.item)
        detail.revisions = try catalog.revisions(sha256: clip.sha256).map {
            ClipRevisionItem(kind: $0.kind, before: $0.before, after: $0.after, reason: $0.reason, recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
        }
        detail.retention = try catalog.retentionState(sha256: clip.sha256).map {
            RetentionItem(retentionClass: $0.retentionClass, retainUntil: $0.retainUntil, held: $0.held, holdReasons: $0.holdReasons,
                          longTermReasons: $0.longTermReasons, disposedAt: $0.disposedAt)
        }
        return detail
    }

    static func item(_ e: AuditEntry) -> AuditItem {
        AuditItem(seq: e.seq, at: e.at, actor: e.actor, action: e.action, object: e.object, detail: e.detail, hash: e.hash)
    }

    func dumps() throws -> [DumpItem] {
        let live = Dictionary(monitor.active.map { ($0.dumpID, $0) }, uniquingKeysWith: { $1 })
        return try catalog.dumps().map { try item($0, live: live[$0.id]) }
    }

    func dump(_ request: APIRequest) throws -> APIResponse {
        let id = request.parameter("dump")
        guard let number = Int64(id), let dump = try catalog.dump(id: number) else {
            return .error(.notFound, "not-found", "no dump \(id); `custodyctl dumps list` shows them")
        }
        return .json(try item(dump, live: monitor.active.first { $0.dumpID == number }))
    }

    /// The chain from genesis, every Merkle checkpoint, every bound row against the chain and
    /// every anchor in the spool (`StationIntegrity.fullCheck`, the same check `fsck` runs).
    func verifyAudit() throws -> AuditVerification {
        try integrity.fullCheck()
    }

    /// A full check of the store against the catalog; temp files of copies in progress are
    /// reported too, so run it when `ingest.active` is 0 for a verdict.
    /// Runs as a job of `jobs` (`fsckJob`): `control` takes its progress and may cancel it.
    func fsck(_ control: JobControl) throws -> FsckReport {
        defer { monitor.setFsckProgress(nil) }
        let audit = try integrity.fullCheck()
        try control.checkCancelled()
        let r = try StoreCheck(catalog: catalog, store: store).run(audit: audit) { done, total in
            monitor.setFsckProgress((done, total))
            try control.progress(done, of: total)
        }
        if !r.consistent { monitor.raiseAlarm("fsck: \(r.missing.count) missing, \(r.changed.count) changed, \(r.uncataloged.count) uncataloged, audit \(r.audit.valid ? "valid" : "BROKEN")") }
        var report = FsckReport(consistent: r.consistent, clipsChecked: r.clipsChecked, bytesChecked: r.bytesChecked, missing: r.missing,
                                changed: r.changed, uncataloged: r.uncataloged, tempFiles: r.tempFiles, auditValid: r.audit.valid,
                                auditRows: r.audit.rows, auditFirstBadSeq: r.audit.firstBadSeq, auditProblem: r.audit.problem,
                                ingestActive: monitor.active.count)
        report.boundRowsChecked = r.audit.boundRowsChecked
        report.auditMismatchCount = r.audit.mismatchCount
        report.auditMismatches = r.audit.mismatches.map(\.message)
        return report
    }

    func item(_ dump: Dump, live: DumpProgress?) throws -> DumpItem {
        let issues = try catalog.issues(dumpID: dump.id).map { DumpIssueItem(sourcePath: $0.sourcePath, kind: $0.kind, message: $0.message) }
        let sideFiles = try catalog.sideFiles(dumpID: dump.id).map {
            DumpSideFileItem(sourcePath: $0.sourcePath, kind: $0.kind.rawValue, sizeBytes: $0.sizeBytes, sha256: $0.sha256)
        }
        var item = DumpItem(
            id: dump.id, state: (live?.state ?? dump.state).rawValue, stateReason: live?.message ?? dump.stateReason,
            mountPoint: dump.mountPoint, source: dump.mountSource, fsType: dump.fsType,
            deviceSerial: dump.deviceSerial, officerBadge: dump.officerBadge, startedAt: dump.startedAt,
            finishedAt: dump.finishedAt, filesTotal: live?.filesTotal ?? dump.filesTotal,
            filesDone: live?.filesDone ?? dump.filesDone, bytesTotal: live?.bytesTotal ?? dump.bytesTotal,
            bytesDone: live?.bytesMoved ?? dump.bytesDone, errors: live?.errors ?? dump.errors,
            bytesPerSecond: live?.bytesPerSecond ?? Self.averageRate(dump), currentFile: live?.currentFile,
            clockOffsetSeconds: dump.clockOffsetSeconds, issues: issues)
        item.sideFiles = sideFiles
        item.clock = dump.clockBasis.map {
            DockingClockItem(offsetSeconds: dump.clockOffsetSeconds, basis: $0.rawValue, estimateSeconds: dump.clockOffsetEstimate,
                             outliers: dump.clockOutliers)
        }
        return item
    }

    static func averageRate(_ dump: Dump) -> Double? {
        guard let end = dump.finishedAt, end > dump.startedAt else { return nil }
        return Double(dump.bytesDone) / end.timeIntervalSince(dump.startedAt)
    }

    static func item(_ clip: Clip) -> ClipItem {
        var item = ClipItem(sha256: clip.sha256, sizeBytes: clip.sizeBytes, sourcePath: clip.sourcePath,
                 deviceSerial: clip.deviceSerial, officerBadge: clip.officerBadge, recordedAt: clip.recordedAt,
                 timeSource: clip.timeSource, durationSeconds: clip.durationSeconds, mediaKind: clip.mediaKind,
                 format: clip.format, ingestedAt: clip.ingestedAt, dueAt: clip.dueAt, late: clip.late, flags: clip.flags)
        item.claimedBadge = clip.claimedBadge
        item.clockOffsetSeconds = clip.clockOffsetSeconds
        item.correctedRecordedAt = clip.correctedRecordedAt
        item.lateSeconds = clip.lateSeconds
        item.deadlineRule = clip.deadlineRule
        item.annotationDueAt = clip.annotationDueAt
        item.annotatedAt = clip.annotatedAt
        item.caseNumber = clip.caseNumber
        item.disposedAt = clip.disposedAt
        item.times = clip.timeReason.map { ClipTimesItem(reason: $0, container: clip.containerRecordedAt, fileName: clip.nameRecordedAt) }
        item.attribution = ClipAttributionItem(claimedSerial: clip.claimedSerial, clerkSerial: clip.clerkSerial, clerkBadge: clip.clerkBadge,
                                               clerkRecordedAt: clip.clerkRecordedAt)
        return item
    }
}
