import CustodyCatalog
import CustodyCore
import Foundation
import Glibc
import Logging

/// Ingests one medium from start to end on a dedicated thread (copying blocks; the cooperative
/// pool must stay free for the API). Resumes a dump a previous run left unfinished.
struct DumpIngestor: Sendable {
    let medium: Medium
    let context: IngestContext
    let stop: StopFlag

    var catalog: Catalog { context.catalog }
    var logger: Logger { context.logger }

    func run() {
        do {
            try ingest()
        } catch {
            logger.error("dump failed", metadata: ["medium": "\(medium.root)", "error": "\(error)"])
            context.monitor.raiseAlarm("\(medium.root): \(error)")
            // Every alarm is also an audit row; if the catalog itself is what failed, the log line stands.
            _ = try? catalog.audit(actor: "custodyd", action: "dump.failed", object: "medium:\(medium.root)",
                                   detail: ["error": "\(error)"])
        }
    }

    private func ingest() throws {
        var rootStat = stat()
        guard stat(medium.root, &rootStat) == 0 else { throw CopyError.sourceRead(path: medium.root, errno: errno) }
        let rootDevice = rootStat.st_dev
        context.monitor.scanning(medium.root, true)
        defer { context.monitor.scanning(medium.root, false) }
        let scan = try DumpScanner().scan(root: medium.root)
        let previous = try catalog.latestDump(mountKey: medium.key)
        let finished = previous.map { $0.state == .complete || $0.state == .refused } ?? false
        // Kernel mount ids are reused, so "the same medium, still mounted" is decided by content:
        // a finished dump of this medium whose files are all cataloged with the same sizes.
        if let previous, finished, previous.state == .complete, medium.kind == .mount {
            let known = try catalog.ingestedPaths(dumpID: previous.id)
            if scan.files.allSatisfy({ known[$0.path] == $0.size }) {
                logger.info("medium already ingested; nothing new on it", metadata: ["dump": "\(previous.id)"])
                return
            }
        }
        let dump: Dump
        let resumed: Bool
        if let previous, !finished || medium.kind == .drop {
            dump = previous
            resumed = true
            try catalog.setDumpMount(id: dump.id, mountID: medium.mountID)
            try catalog.audit(actor: "custodyd", action: "dump.resume", object: "dump:\(dump.id)",
                              detail: ["mountPoint": medium.root])
        } else {
            dump = try catalog.startDump(sourceKind: medium.kind.rawValue, mountPoint: medium.root,
                                         mountSource: medium.source, fsType: medium.fsType, mountKey: medium.key,
                                         mountID: medium.mountID)
            resumed = false
        }
        switch context.recognizer.judge(scan) {
        case .refused(let reason):
            logger.warning("medium refused", metadata: ["medium": "\(medium.root)", "reason": "\(reason)"])
            try catalog.setDumpState(id: dump.id, .refused, reason: reason)
            return
        case .camera(let reason):
            logger.info("camera recognised", metadata: ["dump": "\(dump.id)", "medium": "\(medium.root)", "reason": "\(reason)"])
        }
        if !resumed {
            for refusal in scan.refusals {
                try catalog.recordIssue(dumpID: dump.id, path: refusal.path, kind: refusal.kind, message: refusal.message)
            }
        }
        try copyAll(scan: scan, dump: dump, rootDevice: rootDevice)
    }

    /// Whether the medium is still there: its root still answers and is still the same
    /// filesystem (after a lazy unmount the mount point is an empty folder of the parent).
    private func mediumPresent(rootDevice: dev_t) -> Bool {
        var st = stat()
        return stat(medium.root, &st) == 0 && st.st_dev == rootDevice
    }

    private func copyAll(scan: ScanResult, dump: Dump, rootDevice: dev_t) throws {
        let done = try catalog.ingestedPaths(dumpID: dump.id)
        let mediumBadge = readIdentityBadge(scan)
        let clockOffset = clockOffset(scan)
        var progress = DumpProgress(dumpID: dump.id, mountPoint: medium.root, state: .copying,
                                    filesTotal: Int64(scan.files.count), bytesTotal: Int64(scan.totalBytes),
                                    errors: Int64(scan.refusals.count), startedAt: Date())
        context.monitor.begin(progress)
        defer {
            let final = (try? catalog.dump(id: dump.id))??.state.rawValue ?? "failed"
            context.monitor.end(dump.id, outcome: final)
        }
        try catalog.setDumpState(id: dump.id, .copying)
        var newest: Date?
        var mediumSerial: String?
        var lastPersist = Date.distantPast

        for file in scan.files {
            if stop.isSet {
                try persist(progress)
                try catalog.setDumpState(id: dump.id, .interrupted, reason: "daemon stopped; resumes at next start")
                return
            }
            if let known = done[file.path], known == file.size {
                progress.filesDone += 1
                progress.bytesDone += Int64(file.size)
                continue
            }
            context.monitor.update(dump.id) { $0.currentFile = file.path.display }
            do {
                let started = ContinuousClock.now
                let clip = try ingestWhenSpace(file, dumpID: dump.id, mediumBadge: mediumBadge, clockOffset: clockOffset)
                context.monitor.metrics.fileSeconds.record(ContinuousClock.now - started)
                if let end = clip.recordedAt?.addingTimeInterval(clip.durationSeconds ?? 0), clip.timeSource != "file-time" {
                    newest = max(newest ?? end, end)
                }
                mediumSerial = mediumSerial ?? clip.deviceSerial
            } catch let error as CopyError where error.mediumGone || !mediumPresent(rootDevice: rootDevice) {
                try persist(progress)
                let reason = "medium removed or unreadable during copy (\(error)); plug it in again and the dump resumes"
                logger.warning("dump interrupted", metadata: ["dump": "\(dump.id)", "reason": "\(reason)"])
                context.monitor.raiseAlarm("dump \(dump.id): \(reason)")
                try catalog.setDumpState(id: dump.id, .interrupted, reason: reason)
                return
            } catch let error as CopyError {
                progress.errors += 1
                context.monitor.metrics.copyFailures.increment()
                try catalog.recordIssue(dumpID: dump.id, path: file.path, kind: "copy-failed", message: error.description)
                logger.error("file not ingested", metadata: ["dump": "\(dump.id)", "path": "\(file.path.display)", "error": "\(error)"])
            } catch let error as StoreError where error.isVerificationFailure {
                progress.errors += 1
                context.monitor.metrics.verificationFailures.increment()
                context.monitor.raiseAlarm("dump \(dump.id): \(file.path.display): \(error)")
                try catalog.recordIssue(dumpID: dump.id, path: file.path, kind: "verification-failed", message: error.description)
                logger.critical("stored copy failed verification", metadata: ["dump": "\(dump.id)", "path": "\(file.path.display)", "error": "\(error)"])
            }
            progress.filesDone += 1
            progress.bytesDone += Int64(file.size)
            let snapshot = progress
            context.monitor.update(dump.id) { $0 = snapshot }
            if Date().timeIntervalSince(lastPersist) > 1 {
                try persist(progress)
                lastPersist = Date()
            }
        }
        try persist(progress)
        try catalog.setDumpIdentity(id: dump.id, deviceSerial: mediumSerial, officerBadge: mediumBadge,
                                    newestClaimedAt: newest, clockOffsetSeconds: clockOffset)
        if progress.errors == Int64(scan.refusals.count), let serial = mediumSerial {
            writeTimeset(serial: serial)
        }
        let summary = "\(progress.filesDone) files, \(progress.errors) refused or failed"
        try catalog.setDumpState(id: dump.id, .complete, reason: summary)
        logger.info("dump complete", metadata: ["dump": "\(dump.id)", "files": "\(progress.filesDone)", "errors": "\(progress.errors)"])
    }

    /// Ingests one file, pausing (not failing) when the store disk runs out of room mid-copy:
    /// the partial temp file is removed, and the file is copied again once space returns.
    private func ingestWhenSpace(_ file: ScannedFile, dumpID: Int64, mediumBadge: String?, clockOffset: Double?) throws -> Clip {
        var paused = false
        while true {
            try waitForSpace(needed: file.size, dumpID: dumpID)
            do {
                let clip = try ingestFile(file, dumpID: dumpID, mediumBadge: mediumBadge, clockOffset: clockOffset)
                if paused {
                    context.monitor.setPaused(nil)
                    context.monitor.update(dumpID) { $0.state = .copying; $0.message = nil }
                    try catalog.setDumpState(id: dumpID, .copying, reason: "space available again; resumed")
                    logger.notice("ingest resumed", metadata: ["dump": "\(dumpID)"])
                }
                return clip
            } catch StoreError.noSpace(let path) {
                if !paused {
                    let reason = "store disk full while copying \(file.path.display); the partial copy was removed. Free space on \(context.store.root) and ingest resumes by itself"
                    logger.critical("ingest paused", metadata: ["dump": "\(dumpID)", "temp": "\(path)", "reason": "\(reason)"])
                    context.monitor.setPaused(reason)
                    context.monitor.update(dumpID) { $0.state = .paused; $0.message = reason }
                    try catalog.setDumpState(id: dumpID, .paused, reason: reason)
                    paused = true
                }
                if stop.isSet { throw StoreError.noSpace(path: path) }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// Copies, verifies and catalogs one file; a file that changes during the copy is retried,
    /// then stored as read and flagged.
    private func ingestFile(_ file: ScannedFile, dumpID: Int64, mediumBadge: String?, clockOffset: Double?) throws -> Clip {
        var attempt = 0
        while true {
            let fd = try DumpScanner().openFile(root: medium.root, path: file.path)
            defer { close(fd) }
            let ext = (file.path.display as NSString).pathExtension
            let media = MediaProbe.probe(FileDescriptorReader(fd: fd, size: file.size), fileExtension: ext,
                                         timeZone: context.timeZone)
            let monitor = context.monitor
            let copy = try context.copier.copy(sourceFD: fd, displayPath: file.path.display) { _ in monitor.touch(dumpID) }
            if copy.changedDuringCopy && attempt < context.config.ingest.changedFileRetries {
                attempt += 1
                logger.notice("file changed during copy; retrying", metadata: ["path": "\(file.path.display)", "attempt": "\(attempt)"])
                continue
            }
            let parsed = context.grammars.parse(relativePath: file.path.display, timeZone: context.timeZone)
            let id = ClipIdentification(path: file.path, parsed: parsed, media: media, mtime: file.mtime,
                                        mediumBadge: mediumBadge, mediumSerial: nil)
            var flags = id.flags
            if copy.changedDuringCopy { flags.append(.changedDuringCopy) }
            let now = Date()
            // Due time and lateness are judged by the catalog with the handover it matches.
            var clip = Clip(sha256: copy.sha256, sizeBytes: copy.size, mediaKind: media.kind.rawValue,
                            format: media.format, recordedAt: id.recordedAt, durationSeconds: media.durationSeconds,
                            timeSource: id.timeSource.rawValue, deviceSerial: id.deviceSerial,
                            officerBadge: id.officerBadge, ingestedAt: now, dueAt: nil, late: false,
                            flags: flags.map(\.rawValue), sourcePath: file.path.display)
            clip.clockOffsetSeconds = clockOffset
            let outcome = try catalog.record(IngestedFile(dumpID: dumpID, sourcePath: file.path, sourceSize: copy.size,
                                                          sourceMtime: copy.mtime, clip: clip, grammar: id.grammar),
                                             policy: context.rules.policy)
            CrashPoint.afterCommit.hit()
            if outcome == .newClip { context.monitor.countIngested(bytes: copy.size) }
            return clip
        }
    }

    /// Pauses before the store disk reaches its reserve (never fills it), and resumes by itself.
    private func waitForSpace(needed: UInt64, dumpID: Int64) throws {
        #if DEBUG
        // The disk-full tests skip the up-front check so the disk fills mid-copy (0 %, 50 %, 99 %).
        if ProcessInfo.processInfo.environment["CUSTODY_TEST_NO_SPACE_PRECHECK"] == "1" { return }
        #endif
        var announced = false
        while let free = context.store.freeBytes(), free < needed &+ context.config.ingest.reserveBytes {
            if !announced {
                let reason = "store disk low: \(free / 1_048_576) MiB free, reserve \(context.config.ingest.reserveBytes / 1_048_576) MiB; free space on \(context.store.root) and ingest resumes by itself"
                logger.critical("ingest paused", metadata: ["dump": "\(dumpID)", "reason": "\(reason)"])
                context.monitor.setPaused(reason)
                context.monitor.update(dumpID) { $0.state = .paused; $0.message = reason }
                try catalog.setDumpState(id: dumpID, .paused, reason: reason)
                announced = true
            }
            if stop.isSet { return }
            Thread.sleep(forTimeInterval: 1)
        }
        if announced {
            context.monitor.setPaused(nil)
            context.monitor.update(dumpID) { $0.state = .copying; $0.message = nil }
            try catalog.setDumpState(id: dumpID, .copying, reason: "space available again; resumed")
            logger.notice("ingest resumed", metadata: ["dump": "\(dumpID)"])
        }
    }

    /// The device's clock offset at docking: the newest recording time its file names claim,
    /// minus the station's time now (ledger issue, "Clock offset per docking"). File times are not
    /// used: FAT drivers disagree about them (fusefat shows them a month late).
    private func clockOffset(_ scan: ScanResult) -> Double? {
        let claimed = scan.files.compactMap { context.grammars.parse(relativePath: $0.path.display, timeZone: context.timeZone)?.recordedAt }
        return claimed.max().map { $0.timeIntervalSince(Date()) }
    }

    private func readIdentityBadge(_ scan: ScanResult) -> String? {
        let names = Set(SideFiles.identityFileNames.map { $0.uppercased() })
        guard let file = scan.files.first(where: { !$0.path.bytes.contains(0x2F) && names.contains($0.path.display.uppercased()) }),
              file.size < 64 * 1024,
              let fd = try? DumpScanner().openFile(root: medium.root, path: file.path) else { return nil }
        defer { close(fd) }
        let bytes = (try? FileDescriptorReader(fd: fd, size: file.size).read(offset: 0, count: Int(file.size))) ?? []
        return SideFiles.badge(fromSNFile: bytes)
    }

    private func persist(_ p: DumpProgress) throws {
        try catalog.setDumpProgress(id: p.dumpID, filesTotal: p.filesTotal, bytesTotal: p.bytesTotal,
                                    filesDone: p.filesDone, bytesDone: p.bytesDone, errors: p.errors)
    }
}
