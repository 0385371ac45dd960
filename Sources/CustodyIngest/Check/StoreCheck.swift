import CustodyCatalog
import CustodyCore
import Foundation

/// What a full check of the store against the catalog found (`custodyctl fsck`).
public struct StoreCheckResult: Sendable, Equatable {
    public var clipsChecked = 0
    public var bytesChecked: UInt64 = 0
    /// Cataloged clips whose stored file is gone.
    public var missing: [String] = []
    /// Stored files whose bytes no longer hash to their name (or whose size differs from the row).
    public var changed: [String] = []
    /// Stored objects with no catalog row.
    public var uncataloged: [String] = []
    /// Temp files left in the store.
    public var tempFiles: [String] = []
    public var audit: AuditVerification
    public var consistent: Bool {
        missing.isEmpty && changed.isEmpty && uncataloged.isEmpty && tempFiles.isEmpty && audit.valid
    }
}

/// Re-hashes every stored clip and compares the store with the catalog and the audit chain
/// (reliability issue: "every cataloged hash equal to its file, no file in the store without a
/// row, no temp file left, audit chain valid"). Reads every byte: it takes as long as the store
/// is large.
public struct StoreCheck: Sendable {
    let catalog: Catalog
    let store: EvidenceStore

    public init(catalog: Catalog, store: EvidenceStore) {
        self.catalog = catalog; self.store = store
    }

    /// - Parameter audit: the catalog's verification when the caller made it with more (the
    ///   daemon's full check, with its anchors); by default `Catalog.verifyAudit`, the same check.
    public func run(audit: AuditVerification? = nil, progress: (Int, Int) throws -> Void = { _, _ in }) throws -> StoreCheckResult {
        var result = StoreCheckResult(audit: try audit ?? catalog.verifyAudit())
        // Disposed clips keep their rows (and tombstones) but must have no file: one still present
        // counts as a file without a live row.
        let disposed = try catalog.disposedHashes()
        let cataloged = try catalog.clips().filter { !disposed.contains($0.sha256) }
        let stored = Set(store.storedHashes())
        result.tempFiles = store.leftoverTempFiles().map { ($0 as NSString).lastPathComponent }
        result.uncataloged = stored.subtracting(cataloged.map(\.sha256)).sorted()
        for (index, clip) in cataloged.enumerated() {
            try progress(index, cataloged.count)
            guard stored.contains(clip.sha256) else {
                result.missing.append(clip.sha256)
                continue
            }
            let (hash, size) = try StartupRecovery.hashFile(store.path(for: clip.sha256))
            if hash != clip.sha256 || size != clip.sizeBytes { result.changed.append(clip.sha256) }
            result.clipsChecked += 1
            result.bytesChecked += size
        }
        try catalog.audit(actor: "custodyd", action: result.consistent ? "fsck.ok" : "fsck.inconsistent", object: "store",
                          detail: ["clips": String(result.clipsChecked), "missing": String(result.missing.count),
                                   "changed": String(result.changed.count), "uncataloged": String(result.uncataloged.count),
                                   "tempFiles": String(result.tempFiles.count), "auditValid": String(result.audit.valid)])
        return result
    }
}
