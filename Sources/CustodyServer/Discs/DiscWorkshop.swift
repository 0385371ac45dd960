import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import CustodyIngest
import Foundation
import Logging

/// Plans, burns, verifies, labels and locates disc sets (retention issue, "Disc planning" to
/// "Labels and sheets"). Every step is a copy event in the catalog and an audit row; a copy counts
/// only once it was read back and matched the catalog, and its label was confirmed.
struct DiscWorkshop: Sendable {
    let config: CustodyConfig
    let catalog: Catalog
    let store: EvidenceStore
    let monitor: IngestMonitor
    let logger: Logger

    var imagesFolder: URL { URL(fileURLWithPath: config.paths.spool).appendingPathComponent("images") }
    var spoolFolder: URL { URL(fileURLWithPath: config.paths.spool).appendingPathComponent("discs") }
    var labelsFolder: URL { URL(fileURLWithPath: config.paths.spool).appendingPathComponent("labels") }

    /// Packs the queue into sets; with `force`, sets under the fill target are made too.
    func plan(media: DiscMedia, force: Bool, actor: String) throws -> DiscPlanResponse {
        let queue = try catalog.discQueue()
        let byHash = Dictionary(queue.map { ($0.sha256, $0) }, uniquingKeysWith: { a, _ in a })
        let plan = DiscPlanner.plan(items: queue.map { DiscItem(id: $0.sha256, sizeBytes: $0.sizeBytes, caseKey: $0.caseNumber, queuedAt: $0.queuedAt) },
                                    media: media, requireFull: !force)
        var namer = DiscFileNamer(timeZone: config.station.resolvedTimeZone)
        var sets: [(media: String, usedBytes: Int64, fillRatio: Double, note: String, items: [(sha256: String, discPath: String)])] = []
        for set in plan.sets {
            var seq = 0
            let items = set.items.map { item -> (sha256: String, discPath: String) in
                let entry = byHash[item.id]!
                seq += 1
                let ext = (entry.sourcePath as NSString).pathExtension
                let path = namer.name(caseNumber: entry.caseNumber, officerName: entry.officerName ?? entry.officerBadge ?? "未知",
                                      deviceSerial: entry.deviceSerial ?? "未知设备", recordedAt: entry.recordedAt ?? entry.queuedAt,
                                      sequence: seq, fileExtension: ext.isEmpty ? entry.format : ext)
                return (item.id, path)
            }
            let note = set.splitCase.map { "case \($0.caseKey) part \($0.part)/\($0.partCount)" } ?? ""
            sets.append((media.rawValue, set.usedBytes, set.fillRatio, note, items))
        }
        let ids = sets.isEmpty ? [] : try catalog.saveDiscSets(sets, actor: actor, timeZone: config.station.resolvedTimeZone)
        for id in ids { _ = try catalog.stamp(reason: "disc set \(id)") }
        return DiscPlanResponse(sets: try ids.compactMap { try catalog.discSet(id: $0) }.map(item),
                                waiting: plan.leftover.count, refused: plan.refused.map(\.reason), notes: plan.notes)
    }

    /// What goes on one copy: the clips under readable names, what is known of each (for the index
    /// and sheets), the label fields, and the audit stamp written when this copy's burn started.
    func content(_ set: DiscSetRecord, copy: String, maker: String, madeAt: Date) throws -> DiscSetContent {
        let clips = try set.items.map(evidence(for:))
        return DiscSetContent(setID: set.id, copy: copy,
                              label: DiscLabelFields(unit: config.station.unit, maker: maker, madeAt: madeAt, activities: Self.activities(clips)),
                              files: set.items.map { DiscFile(sourcePath: store.path(for: $0.sha256), sha256: $0.sha256,
                                                              sizeBytes: $0.sizeBytes, relativePath: $0.discPath) },
                              stamp: try burnStamp(set, copy: copy), clips: clips, timeZone: config.station.resolvedTimeZone)
    }

    /// Starts burning the copies on a thread of its own; the events say how it went.
    func startBurn(setID: String, copies: [String], maker: String, actor: String, replacing: [String] = [], reason: String = "") throws -> DiscSetRecord {
        guard let set = try catalog.discSet(id: setID) else {
            throw APIRefusal.notFound("no disc set \(setID); `custodyctl discs list` shows them", zh: "没有光盘组 \(setID)")
        }
        for copy in copies where ["burning", "burned"].contains(set.state(of: copy)) {
            throw APIRefusal(.conflict, "busy", "copy \(copy) of \(setID) is being burned now", zh: "\(setID) 的 \(copy) 盘正在刻录")
        }
        if let gone = set.items.first(where: { !store.contains($0.sha256) }) {
            throw APIRefusal(.conflict, "missing-clip", "clip \(gone.sha256.prefix(12)) of \(setID) is not in the store; run custodyctl fsck",
                             zh: "光盘组 \(setID) 中的录像 \(gone.sha256.prefix(12)) 在存储中缺失，请运行 custodyctl fsck")
        }
        try supersede(set, copies: replacing, reason: reason, maker: maker, actor: actor)
        for copy in copies {
            try catalog.recordDiscCopy(setID: setID, copy: copy, state: "burning", detail: "maker=\(maker)", actor: actor)
        }
        // The head each copy carries: written now, found again by the labels printed later.
        let started = try catalog.discSet(id: setID)!
        for copy in copies { _ = try catalog.stamp(reason: Self.stampReason(started, copy: copy), actor: actor) }
        let workshop = self
        Thread.detachNewThread {
            for copy in copies { workshop.burn(started, copy: copy, maker: maker, actor: actor) }
        }
        return try catalog.discSet(id: setID)!
    }

    /// The time a copy's burn started: its "made at" on the disc and on its labels.
    static func madeAt(_ set: DiscSetRecord, copy: String) -> Date? {
        set.events.last { $0.copy == copy && $0.state == "burning" }?.recordedAt
    }

    private func burn(_ set: DiscSetRecord, copy: String, maker: String, actor: String) {
        let image = imagesFolder.appendingPathComponent("\(set.id)-\(copy).iso")
        do {
            try FileManager.default.createDirectory(at: imagesFolder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: spoolFolder, withIntermediateDirectories: true)
            let content = try self.content(set, copy: copy, maker: maker, madeAt: Self.madeAt(set, copy: copy) ?? Date())
            try DiscImageBuilder.build(content: content, outputISO: image)
            let burner: any DiscBurner = config.discs.burner == "spool"
                ? SpoolBurner(folder: spoolFolder)
                : OpticalBurner(device: config.discs.burner, media: DiscMedia(rawValue: set.media))
            let result = try burner.burn(image: image, setID: set.id, copy: copy)
            if config.discs.burner != "spool" || result.readbackSource != image.path { try? FileManager.default.removeItem(at: image) }
            try catalog.recordDiscCopy(setID: set.id, copy: copy, state: "burned", detail: result.readbackSource, actor: actor)
            try verify(set, copy: copy, source: result.readbackSource, actor: actor)
        } catch {
            try? FileManager.default.removeItem(at: image)
            let message = "burning \(set.id) copy \(copy) failed: \(error)"
            logger.error("disc burn failed", metadata: ["set": "\(set.id)", "copy": "\(copy)", "error": "\(error)"])
            monitor.raiseAlarm(message)
            try? catalog.recordDiscCopy(setID: set.id, copy: copy, state: "failed", detail: "\(error)", actor: actor)
        }
    }

    /// Reads every file back from the written copy and compares it with the catalog's hashes.
    @discardableResult
    func verify(_ set: DiscSetRecord, copy: String, source: String, actor: String) throws -> Bool {
        let expected = set.items.map { ExpectedFile(path: "data/" + $0.discPath, sha256: $0.sha256, sizeBytes: $0.sizeBytes) }
        let report: VerificationReport
        do {
            let path = source.hasPrefix("stdio:") ? String(source.dropFirst(6)) : source
            if path.hasPrefix("/") && !FileManager.default.isReadableFile(atPath: path) {
                throw ServerError(description: "\(path) is not there or not readable")
            }
            report = try DiscVerifier.verify(source: source, expected: expected)
        } catch {
            // Not a failed copy: the disc (or the image) could not be read at all, e.g. taken out of the drive.
            throw APIRefusal(.conflict, "unreadable", "copy \(copy) of \(set.id) could not be read at \(source): \(error); put the disc in the drive and verify again",
                             zh: "\(set.id) 的 \(copy) 盘无法读取（\(source)）：\(error)；请放入光盘后重新校验")
        }
        try catalog.recordDiscCopy(setID: set.id, copy: copy, state: report.passed ? "verified" : "failed",
                                   detail: "\(source): \(report.summary)", actor: actor)
        if !report.passed {
            monitor.raiseAlarm("disc \(set.id) copy \(copy) failed verification: \(report.summary)")
        }
        return report.passed
    }

    /// Where a copy was written (its last `burned` event).
    func writtenSource(_ set: DiscSetRecord, copy: String) -> String? {
        set.events.last { $0.copy == copy && $0.state == "burned" }?.detail
    }

    func item(_ set: DiscSetRecord) -> DiscSetItem {
        let copies = ["A", "B"].map { copy -> DiscSetItem.Copy in
            let last = set.events.last { $0.copy == copy }
            let location = set.current(copy).last { $0.state == "stored" }?.detail
            var item = DiscSetItem.Copy(copy: copy, state: set.state(of: copy), verified: set.verified(copy), detail: last?.detail,
                                        location: location)
            item.superseded = Self.superseded(set, copy: copy)
            return item
        }
        return DiscSetItem(id: set.id, media: set.media, usedBytes: set.usedBytes, fillRatio: set.fillRatio, note: set.note,
                           plannedAt: set.plannedAt,
                           files: set.items.map { DiscSetItem.File(sha256: $0.sha256, discPath: "data/" + $0.discPath, sizeBytes: $0.sizeBytes) },
                           copies: copies, paths: ["A", "B"].compactMap { writtenSource(set, copy: $0) })
    }
}
