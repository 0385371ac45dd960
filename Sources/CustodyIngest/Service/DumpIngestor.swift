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
        var outage: CatalogOutage?
        while true {
            do {
                if let current = outage {
                    try current.end(self)
                    outage = nil
                }
                try ingest()
                return
            } catch let error where Catalog.unavailability(error) != nil && !stop.isSet && outage.map({ $0.mediumPresent() }) ?? true {
                // The catalog's disk is full, out of descriptors or locked: pause, as for a full
                // store, and try again each second; the dump resumes where the catalog has it.
                if outage == nil { outage = CatalogOutage(pausing: self, reason: Catalog.unavailability(error) ?? "", error: error) }
                Thread.sleep(forTimeInterval: 1)
            } catch {
                logger.error("dump failed", metadata: ["medium": "\(medium.root)", "error": "\(error)"])
                context.monitor.raiseAlarm("\(medium.root): \(error)")
                if outage != nil { context.monitor.setPaused(nil) }
                // Every alarm is also an audit row; if the catalog itself is what failed, the log line stands.
                _ = try? catalog.audit(actor: "custodyd", action: "dump.failed", object: "medium:\(medium.root)",
                                       detail: ["error": "\(error)"])
                return
            }
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
        let verdict = context.recognizer.judge(scan)
        // A refused stick still plugged in when the daemon restarts (or plugged in again as it
        // was) is one dump row: the same mount and the same files, still refused.
        if let previous, previous.state == .refused, case .refused = verdict,
           previous.filesTotal == Int64(scan.files.count), previous.bytesTotal == Int64(scan.totalBytes) {
            logger.info("medium refused again as before; its dump stands", metadata: ["dump": "\(previous.id)", "medium": "\(medium.root)"])
            return
        }
        // No shortcut for a medium seen before (attribution issue, item 0): cameras restart their
        // numbering after being cleared and write fixed-size segments, so the same names and sizes
        // may hold new recordings. A medium docked again is a new dump in which every file is
        // hashed; what the last docking recorded at a path only says which files to hash where
        // they lie before copying them. (The kernel reuses mount ids, so "still mounted since the
        // last run" cannot be told from "plugged in again": a restart re-checks a mounted camera.)
        let dump: Dump
        let resumed: Bool
        var seenBefore: [RawPath: [RecordedSource]] = [:]
        let unfinished = previous.map { $0.state != .complete && $0.state != .refused } ?? false
        if let previous, unfinished || (previous.state == .complete && medium.kind == .drop) {
            dump = previous
            resumed = true
            try catalog.setDumpMount(id: dump.id, mountID: medium.mountID)
            try catalog.audit(actor: "custodyd", action: "dump.resume", object: "dump:\(dump.id)",
                              detail: ["mountPoint": medium.root])
        } else {
            if let previous, previous.state == .complete { seenBefore = try catalog.recordedSources(dumpID: previous.id) }
            dump = try catalog.startDump(sourceKind: medium.kind.rawValue, mountPoint: medium.root,
                                         mountSource: medium.source, fsType: medium.fsType, mountKey: medium.key,
                                         mountID: medium.mountID)
            resumed = false
        }
        switch verdict {
        case .refused(let reason):
            logger.warning("medium refused", metadata: ["medium": "\(medium.root)", "reason": "\(reason)"])
            try catalog.setDumpProgress(id: dump.id, filesTotal: Int64(scan.files.count), bytesTotal: Int64(scan.totalBytes),
                                        filesDone: 0, bytesDone: 0, errors: 0)
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
        try copyAll(scan: scan, dump: dump, seenBefore: seenBefore, resumed: resumed, rootDevice: rootDevice)
    }

    /// Whether the medium is still there: its root still answers and is still the same
    /// filesystem (after a lazy unmount the mount point is an empty folder of the parent).
    private func mediumPresent(rootDevice: dev_t) -> Bool {
        var st = stat()
        return stat(medium.root, &st) == 0 && st.st_dev == rootDevice
    }

    private func copyAll(scan: ScanResult, dump: Dump, seenBefore: [RawPath: [RecordedSource]], resumed: Bool,
                         rootDevice: dev_t) throws {
        let done = try catalog.recordedSources(dumpID: dump.id)
        let sideFiles = Self.sideFiles(of: scan)
        let sidePaths = Set(sideFiles.map(\.0.path))
        let recordings = scan.files.filter { !sidePaths.contains($0.path) }
        let facts = try mediumFacts(scan, recordings: recordings, dump: dump, resumed: resumed)
        let alone = Self.stagedAlone(from: context.copier, context.config.ingest)
        let files = Self.copyOrder(recordings, stagedAlone: alone)
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
                let clip = try ingestWhenSpace(file, dumpID: dump.id, facts: facts)
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
        // this thread reads the next from the camera. A file that fits in a batch is staged by the
        // staging workers, several at once (one photo at a time left the disk's queue nearly empty,
        // one 10 MB clip at a time a core), and taken here in copy order (`copyOrder`: the larger
        // ones first); a larger one is staged here, its own ring hashing on a second thread.
        let dumpID = dump.id
        var start = 0
        stages: while start < files.count {
            let first = start
            let pipeline = OrderedPipeline(count: files.count - first, width: Self.stagingWidth,
                                           lookahead: Self.stagingLookahead) { [self] offset -> Staging in
                let file = files[first + offset]
                if file.size >= alone { return .large }
                return prepare(file, recorded: done[file.path] ?? [], seenBefore: seenBefore[file.path] ?? [], dumpID: dumpID, facts: facts)
            }
            // Whatever ends this medium's handling, files staged ahead and not taken are removed.
            defer { Self.discard(pipeline.cancel()) }
            start = files.count
            var index = first
            while true {
                // A stall names the file the dump waits for (its staging worker, or this thread
                // for a large file, is reading it), not the last one taken, which was read whole.
                if index < files.count {
                    let waitingFor = files[index].path.display
                    context.monitor.update(dump.id) { $0.currentFile = waitingFor }
                }
                guard var step = pipeline.next() else { break }
                let file = files[index]
                index += 1
                if stop.isSet {
                    do { try flush() } catch is Interrupted { return }
                    try persist(progress)
                    try catalog.setDumpState(id: dump.id, .interrupted, reason: "daemon stopped; resumes at next start")
                    return
                }
                if case .large = step {  // staged (or hashed where it lies) by this thread
                    step = prepare(file, recorded: done[file.path] ?? [], seenBefore: seenBefore[file.path] ?? [], dumpID: dumpID, facts: facts)
                }
                guard case .staged(let outcome) = step else {  // recorded by this dump already, same bytes
                    progress.filesDone += 1
                    progress.bytesDone += Int64(file.size)
                    continue
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
        try catalog.setDumpIdentity(id: dump.id, deviceSerial: mediumSerial ?? facts.serial, officerBadge: facts.badge,
                                    newestClaimedAt: newest, clock: facts.clock)
        var summary = "\(progress.filesDone) files, \(progress.errors) refused or failed"
        if let released = try releaseCamera(recordings: recordings, dump: dump, serial: mediumSerial ?? facts.serial, errors: progress.errors) {
            summary += "; " + released
        }
        if progress.errors == Int64(scan.refusals.count), let serial = mediumSerial {
            writeTimeset(serial: serial)
        }
        try catalog.setDumpState(id: dump.id, .complete, reason: summary)
        logger.info("dump complete", metadata: ["dump": "\(dump.id)", "files": "\(progress.filesDone)", "errors": "\(progress.errors)"])
    }

    private enum FileOutcome { case done, interrupted(CopyError) }
    private struct Interrupted: Error {}
}
