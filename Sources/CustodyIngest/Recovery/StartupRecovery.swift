import Crypto
import CustodyCatalog
import CustodyCore
import Foundation
import Glibc
import Logging

/// What startup recovery found and did.
public struct RecoveryReport: Sendable, Equatable {
    public var tempFilesRemoved = 0
    public var adopted: [String] = []
    public var missing: [String] = []
    public var interruptedDumps: [Int64] = []
}

/// Brings the store and catalog back into agreement after a crash at any point
/// (foundation issue, item 7): temp files removed, stored-but-uncataloged files re-hashed and
/// adopted (audited), cataloged clips whose file is missing raised as alarms, unfinished dumps
/// marked interrupted (they resume when their medium is seen again).
public struct StartupRecovery: Sendable {
    let catalog: Catalog
    let store: EvidenceStore
    let logger: Logger

    public init(catalog: Catalog, store: EvidenceStore, logger: Logger) {
        self.catalog = catalog; self.store = store; self.logger = logger
    }

    public func run(monitor: IngestMonitor) throws -> RecoveryReport {
        var report = RecoveryReport()
        for temp in store.leftoverTempFiles() {
            if unlink(temp) == 0 { report.tempFilesRemoved += 1 }
        }
        let disposed = try catalog.disposedHashes()
        let cataloged = try catalog.clipHashes().subtracting(disposed)
        var stored = Set(store.storedHashes())
        // A disposal approved and committed, then cut short before its files were removed.
        for hash in stored.intersection(disposed).sorted() {
            try store.removeDisposed(hash)
            stored.remove(hash)
            try catalog.audit(actor: "custodyd", action: "clip.dispose-finished", object: "clip:\(hash)",
                              detail: ["reason": "disposal was approved before a restart; its file is now removed"])
            logger.notice("finished an approved disposal", metadata: ["sha256": "\(hash)"])
        }
        for hash in stored.subtracting(cataloged).subtracting(disposed).sorted() {
            let path = store.path(for: hash)
            guard let (actual, size) = try? Self.hashFile(path), actual == hash else {
                let alarm = "stored file \(path) does not hash to its name; left in place for inspection"
                logger.critical("store inconsistency", metadata: ["path": "\(path)"])
                monitor.raiseAlarm(alarm)
                try catalog.audit(actor: "custodyd", action: "store.mismatch", object: "clip:\(hash)", detail: ["path": path])
                continue
            }
            let clip = Clip(sha256: hash, sizeBytes: size, mediaKind: "other", format: "unknown", recordedAt: nil,
                            durationSeconds: nil, timeSource: TimeSource.none.rawValue, deviceSerial: nil,
                            officerBadge: nil, ingestedAt: Date(), dueAt: nil, late: false,
                            flags: [ClipFlag.adoptedFromStore.rawValue], sourcePath: "")
            try catalog.adopt(clip)
            report.adopted.append(hash)
            logger.notice("adopted uncataloged store file", metadata: ["sha256": "\(hash)"])
        }
        for hash in cataloged.subtracting(stored).sorted() {
            let alarm = "clip \(hash) is in the catalog but its stored file is missing"
            logger.critical("stored clip missing", metadata: ["sha256": "\(hash)"])
            monitor.raiseAlarm(alarm)
            try catalog.audit(actor: "custodyd", action: "store.missing", object: "clip:\(hash)")
            report.missing.append(hash)
        }
        report.interruptedDumps = try catalog.interruptActiveDumps(reason: "daemon restarted during the dump; resumes when the medium is present")
            .map(\.id)
        if report.tempFilesRemoved + report.adopted.count + report.missing.count + report.interruptedDumps.count > 0 {
            try catalog.audit(actor: "custodyd", action: "recovery", object: "store",
                              detail: ["tempFilesRemoved": String(report.tempFilesRemoved),
                                       "adopted": String(report.adopted.count),
                                       "missing": String(report.missing.count),
                                       "interruptedDumps": String(report.interruptedDumps.count)])
        }
        return report
    }

    static func hashFile(_ path: String) throws -> (String, UInt64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.io(what: "open \(path)", errno: errno) }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: UInt64 = 0
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += UInt64(chunk.count)
        }
        return (VerifiedCopier.hex(hasher.finalize()), size)
    }
}
