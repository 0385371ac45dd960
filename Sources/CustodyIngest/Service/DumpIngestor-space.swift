import CustodyCatalog
import CustodyCore
import Foundation
import Glibc

extension DumpIngestor {
    /// Ingests one file, pausing (not failing) when the store disk runs out of room mid-copy:
    /// the partial temp file is removed, and the file is copied again once space returns.
    func ingestWhenSpace(_ file: ScannedFile, dumpID: Int64, facts: MediumFacts) throws -> Clip {
        var paused = false
        while true {
            try waitForSpace(needed: file.size, dumpID: dumpID)
            do {
                let clip = try ingestFile(file, dumpID: dumpID, facts: facts)
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
    func ingestFile(_ file: ScannedFile, dumpID: Int64, facts: MediumFacts) throws -> Clip {
        let (staged, media) = try stageRetrying(file, dumpID: dumpID, startWriteback: false)
        let copy = try context.copier.finish(staged, dataDurable: false, syncDirectories: true).result
        let ingested = ingestedFile(file, sha256: copy.sha256, size: copy.size, mtime: copy.mtime, changed: copy.changedDuringCopy,
                                    media: media, dumpID: dumpID, facts: facts, readBack: staged.readBack)
        let outcome = try catalog.record(ingested, policy: context.rules.policy)
        CrashPoint.afterCommit.hit()
        if outcome == .newClip { context.monitor.countIngested(bytes: copy.size) }
        if outcome == .disposedClip { removeReturnedCopy(copy.sha256) }
        return ingested.clip
    }

    /// Removes the copy just made of a disposed clip's bytes (the catalog refused it); startup
    /// recovery removes it if this fails.
    func removeReturnedCopy(_ sha256: String) {
        do {
            try context.store.removeDisposed(sha256)
        } catch {
            logger.error("could not remove the copy of a disposed clip", metadata: ["sha256": "\(sha256)", "error": "\(error)"])
        }
    }

    /// Pauses before the store disk reaches its reserve (never fills it), and resumes by itself.
    func waitForSpace(needed: UInt64, dumpID: Int64) throws {
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

    func persist(_ p: DumpProgress) throws {
        try catalog.setDumpProgress(id: p.dumpID, filesTotal: p.filesTotal, bytesTotal: p.bytesTotal,
                                    filesDone: p.filesDone, bytesDone: p.bytesDone, errors: p.errors)
    }
}
