import CustodyCatalog
import CustodyCore
import Foundation
import Glibc
import Logging
import Synchronization

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
            if scan.files.allSatisfy({ known[$0.path] == $0.size || SideFiles.kind(of: $0.path, size: $0.size) != nil }) {
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
        // Side files first: kept with the dump, never cataloged as recordings.
        let sideFiles = Self.sideFiles(of: scan)
        let kept = try keepSideFiles(sideFiles, dumpID: dump.id)
        progress.filesDone += kept.files
        progress.bytesDone += kept.bytes
        progress.errors += kept.errors
        if kept.files > 0 {
            let snapshot = progress
            context.monitor.update(dump.id) { $0 = snapshot }
        }
        var newest: Date?
        var mediumSerial: String?
        var lastPersist = Date.distantPast

        var batch = GroupCommit(context.config.ingest)
        let committer = BatchCommitter()
        defer { _ = committer.drain() }  // no batch outlives the dump's handling, whatever ends it

        /// Takes in what the committer finished: counts, the medium's identity, and the files
        /// that met a full disk, which are copied again one by one (waiting for room).
        func merge(_ results: [BatchResult]) throws {
            guard !results.isEmpty else { return }
            var retry: [ScannedFile] = []
            var failure: (any Error)?
            for result in results {
                progress.filesDone += result.filesDone
                progress.bytesDone += result.bytesDone
                progress.errors += result.errors
                for clip in result.clips { noteClip(clip, newest: &newest, serial: &mediumSerial) }
                retry += result.retry
                failure = failure ?? result.failure
            }
            let snapshot = progress
            context.monitor.update(dump.id) { $0 = snapshot }
            if let failure { throw failure }
            for file in retry {
                logger.notice("store disk full at a group commit; copying the file on its own", metadata: ["path": "\(file.path.display)"])
                if case .interrupted(let error) = try single(file) {
                    try interrupt(error)
                    throw Interrupted()
                }
            }
        }

        /// Hands the staged batch to the committer thread, which makes it durable and catalogs it
        /// while this thread stages the next (waits while the previous batch is still committing).
        func submit() throws {
            guard !batch.pending.isEmpty else { return }
            let pending = batch.pending
            batch = GroupCommit(context.config.ingest)
            let dumpID = dump.id
            committer.submit(verify: { [self] in verifyBatch(pending, dumpID: dumpID) }, record: { [self] in recordBatch($0) })
            try merge(committer.finished())
        }

        /// Submits what is staged and waits until every batch is committed and acknowledged.
        func flush() throws {
            try submit()
            try merge(committer.drain())
        }

        /// One file on its own, after the disk was full: waits for room, then copies and catalogs it.
        func single(_ file: ScannedFile) throws -> FileOutcome {
            do {
                let started = ContinuousClock.now
                let clip = try ingestWhenSpace(file, dumpID: dump.id, mediumBadge: mediumBadge, clockOffset: clockOffset)
                context.monitor.metrics.fileSeconds.record(ContinuousClock.now - started)
                noteClip(clip, newest: &newest, serial: &mediumSerial)
            } catch let error as CopyError where error.mediumGone || !mediumPresent(rootDevice: rootDevice) {
                return .interrupted(error)
            } catch let error as CopyError {
                progress.errors += 1
                copyFailed(file, error, dumpID: dump.id)
            } catch let error as StoreError where error.isVerificationFailure {
                progress.errors += 1
                verificationFailed(file, error, dumpID: dump.id)
            }
            progress.filesDone += 1
            progress.bytesDone += Int64(file.size)
            let snapshot = progress
            context.monitor.update(dump.id) { $0 = snapshot }
            return .done
        }

        func interrupt(_ error: CopyError) throws {
            try persist(progress)
            let reason = "medium removed or unreadable during copy (\(error)); plug it in again and the dump resumes"
            logger.warning("dump interrupted", metadata: ["dump": "\(dump.id)", "reason": "\(reason)"])
            context.monitor.raiseAlarm("dump \(dump.id): \(reason)")
            try catalog.setDumpState(id: dump.id, .interrupted, reason: reason)
        }

        // Every file goes through a group commit: small ones many to a batch, a large one alone (a
        // batch closes at group_commit_mb), so the committer verifies and catalogs one batch while
        // this thread reads the next from the camera. Small files are staged on several threads
        // (one photo at a time left the disk's queue nearly empty) and taken here in the medium's
        // order; a large file is staged here, its own ring hashing on a second thread.
        let sidePaths = Set(sideFiles.map(\.0.path))
        let files = scan.files.filter { !sidePaths.contains($0.path) }
        let dumpID = dump.id
        let small = UInt64(context.copier.pipelineThreshold)
        var start = 0
        stages: while start < files.count {
            let first = start
            let pipeline = OrderedPipeline(count: files.count - first, width: Self.stagingWidth,
                                           lookahead: Self.stagingLookahead) { [self] offset -> Staging in
                let file = files[first + offset]
                if let known = done[file.path], known == file.size { return .ingested }
                if file.size >= small { return .large }
                return .staged(Result { try stageForBatch(file, dumpID: dumpID, mediumBadge: mediumBadge, clockOffset: clockOffset) })
            }
            // Whatever ends this medium's handling, files staged ahead and not taken are removed.
            defer { Self.discard(pipeline.cancel()) }
            start = files.count
            var index = first
            while let step = pipeline.next() {
                let file = files[index]
                index += 1
                if stop.isSet {
                    do { try flush() } catch is Interrupted { return }
                    try persist(progress)
                    try catalog.setDumpState(id: dump.id, .interrupted, reason: "daemon stopped; resumes at next start")
                    return
                }
                if case .ingested = step {
                    progress.filesDone += 1
                    progress.bytesDone += Int64(file.size)
                    continue
                }
                context.monitor.update(dump.id) { $0.currentFile = file.path.display }
                let outcome: Result<PendingFile?, any Error>
                if case .staged(let staged) = step {
                    outcome = staged
                } else {  // a large file, staged by this thread
                    outcome = Result { try stageForBatch(file, dumpID: dumpID, mediumBadge: mediumBadge, clockOffset: clockOffset) }
                }
                if Date().timeIntervalSince(lastPersist) > 1 {
                    try persist(progress)
                    lastPersist = Date()
                }
                do {
                    if let item = try outcome.get() {
                        batch.add(item)
                        if batch.isFull { try submit() }
                        continue
                    }
                    // nil: the disk is full; the single path below waits for room. Files staged
                    // ahead are removed first (no copy sits in the store while ingest waits) and
                    // staged again afterwards.
                    Self.discard(pipeline.cancel())
                    start = index
                    try flush()
                } catch let error as CopyError where error.mediumGone || !mediumPresent(rootDevice: rootDevice) {
                    // What was read whole before the medium went is committed; nothing partial is.
                    Self.discard(pipeline.cancel())
                    do { try flush() } catch is Interrupted { return }
                    try interrupt(error)
                    return
                } catch let error as CopyError {
                    progress.errors += 1
                    copyFailed(file, error, dumpID: dump.id)
                    progress.filesDone += 1
                    progress.bytesDone += Int64(file.size)
                    continue
                } catch is Interrupted {
                    return
                }
                if case .interrupted(let error) = try single(file) {
                    try interrupt(error)
                    return
                }
                continue stages
            }
        }
        do { try flush() } catch is Interrupted { return }
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

    private enum FileOutcome { case done, interrupted(CopyError) }

    /// How many small files are staged at once, and how far ahead of the group commit.
    static let stagingWidth = 4
    static let stagingLookahead = 16

    /// What a staging thread did with one file of the medium.
    enum Staging: Sendable {
        case ingested  // in the catalog already (a resumed dump)
        case large     // staged by the ingest thread itself
        case staged(Result<PendingFile?, any Error>)
    }

    /// Removes the temp files of staged files that will not be committed.
    static func discard(_ steps: [Staging]) {
        for case .staged(.success(let item?)) in steps { item.staged.discard() }
    }
    private struct Interrupted: Error {}

    private func noteClip(_ clip: Clip, newest: inout Date?, serial: inout String?) {
        if let end = clip.recordedAt?.addingTimeInterval(clip.durationSeconds ?? 0), clip.timeSource != "file-time" {
            newest = max(newest ?? end, end)
        }
        serial = serial ?? clip.deviceSerial
    }

    private func copyFailed(_ file: ScannedFile, _ error: CopyError, dumpID: Int64) {
        context.monitor.metrics.copyFailures.increment()
        do {
            try catalog.recordIssue(dumpID: dumpID, path: file.path, kind: "copy-failed", message: error.description)
        } catch {
            context.monitor.raiseAlarm("dump \(dumpID): \(file.path.display): copy failed (\(error)) and the catalog could not record it: \(error)")
        }
        logger.error("file not ingested", metadata: ["dump": "\(dumpID)", "path": "\(file.path.display)", "error": "\(error)"])
    }

    func verificationFailed(_ file: ScannedFile, _ error: StoreError, dumpID: Int64) {
        context.monitor.metrics.verificationFailures.increment()
        context.monitor.raiseAlarm("dump \(dumpID): \(file.path.display): \(error)")
        do {
            try catalog.recordIssue(dumpID: dumpID, path: file.path, kind: "verification-failed", message: error.description)
        } catch {
            context.monitor.raiseAlarm("dump \(dumpID): \(file.path.display): the catalog could not record the failed verification: \(error)")
        }
        logger.critical("stored copy failed verification", metadata: ["dump": "\(dumpID)", "path": "\(file.path.display)", "error": "\(error)"])
    }

    /// Copies a file into a temp file for the next group commit (a file changed during the
    /// copy is retried as on the single path); nil when the store disk is full.
    private func stageForBatch(_ file: ScannedFile, dumpID: Int64, mediumBadge: String?, clockOffset: Double?) throws -> PendingFile? {
        #if DEBUG
        if ProcessInfo.processInfo.environment["CUSTODY_TEST_NO_SPACE_PRECHECK"] != "1" {
            guard let free = context.store.freeBytes(), free >= file.size &+ context.config.ingest.reserveBytes else { return nil }
        }
        #else
        guard let free = context.store.freeBytes(), free >= file.size &+ context.config.ingest.reserveBytes else { return nil }
        #endif
        let started = ContinuousClock.now
        let staged: PipelinedCopier.StagedCopy, media: MediaInfo
        do {
            (staged, media) = try stageRetrying(file, dumpID: dumpID, startWriteback: true)
        } catch StoreError.noSpace {
            return nil
        }
        let ingested = ingestedFile(file, sha256: staged.sha256, size: staged.size, mtime: staged.mtime,
                                    changed: staged.changedDuringCopy, media: media, dumpID: dumpID,
                                    mediumBadge: mediumBadge, clockOffset: clockOffset)
        return PendingFile(file: file, staged: staged, ingested: ingested, elapsed: ContinuousClock.now - started)
    }

    /// Reads a source file into a temp file in the store, probing it first; a file that changed
    /// during the copy is copied again up to `changed_file_retries` times, then kept as read
    /// (and flagged).
    private func stageRetrying(_ file: ScannedFile, dumpID: Int64, startWriteback: Bool) throws
        -> (PipelinedCopier.StagedCopy, MediaInfo) {
        var attempt = 0
        while true {
            let fd = try DumpScanner().openFile(root: medium.root, path: file.path)
            defer { close(fd) }
            let media = probe(fd: fd, file: file)
            let monitor = context.monitor
            let staged = try context.copier.stage(sourceFD: fd, displayPath: file.path.display, startWriteback: startWriteback) {
                _ in monitor.touch(dumpID)
            }
            if staged.changedDuringCopy && attempt < context.config.ingest.changedFileRetries {
                staged.discard()
                attempt += 1
                logger.notice("file changed during copy; retrying", metadata: ["path": "\(file.path.display)", "attempt": "\(attempt)"])
                continue
            }
            return (staged, media)
        }
    }

    private func probe(fd: Int32, file: ScannedFile) -> MediaInfo {
        MediaProbe.probe(FileDescriptorReader(fd: fd, size: file.size), fileExtension: (file.path.display as NSString).pathExtension,
                         timeZone: context.timeZone)
    }

    /// The catalog entry for a copied file: identification from its name, path and probe.
    private func ingestedFile(_ file: ScannedFile, sha256: String, size: UInt64, mtime: Date?, changed: Bool, media: MediaInfo,
                              dumpID: Int64, mediumBadge: String?, clockOffset: Double?) -> IngestedFile {
        let parsed = context.grammars.parse(relativePath: file.path.display, timeZone: context.timeZone)
        let id = ClipIdentification(path: file.path, parsed: parsed, media: media, mtime: file.mtime,
                                    mediumBadge: mediumBadge, mediumSerial: nil)
        var flags = id.flags
        if changed { flags.append(.changedDuringCopy) }
        // Due time and lateness are judged by the catalog with the handover it matches.
        var clip = Clip(sha256: sha256, sizeBytes: size, mediaKind: media.kind.rawValue,
                        format: media.format, recordedAt: id.recordedAt, durationSeconds: media.durationSeconds,
                        timeSource: id.timeSource.rawValue, deviceSerial: id.deviceSerial,
                        officerBadge: id.officerBadge, ingestedAt: Date(), dueAt: nil, late: false,
                        flags: flags.map(\.rawValue), sourcePath: file.path.display)
        clip.clockOffsetSeconds = clockOffset
        return IngestedFile(dumpID: dumpID, sourcePath: file.path, sourceSize: size, sourceMtime: mtime, clip: clip, grammar: id.grammar)
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
        let (staged, media) = try stageRetrying(file, dumpID: dumpID, startWriteback: false)
        let copy = try context.copier.finish(staged, dataDurable: false, syncDirectories: true).result
        let ingested = ingestedFile(file, sha256: copy.sha256, size: copy.size, mtime: copy.mtime, changed: copy.changedDuringCopy,
                                    media: media, dumpID: dumpID, mediumBadge: mediumBadge, clockOffset: clockOffset)
        let outcome = try catalog.record(ingested, policy: context.rules.policy)
        CrashPoint.afterCommit.hit()
        if outcome == .newClip { context.monitor.countIngested(bytes: copy.size) }
        return ingested.clip
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
