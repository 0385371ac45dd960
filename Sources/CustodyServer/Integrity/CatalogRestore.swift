import CustodyCatalog
import CustodyCore
import CustodyIngest
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Restoring the catalog from a backup, as an explicit admin step with the daemon stopped
/// (`custodyd --config PATH --restore-from BACKUP --reason TEXT`; provable-catalog issue,
/// item 5), so a restore is never mistaken for a rollback, nor used to hide one:
///
/// 1. The backup's chain must be intact and its signed head (`backup-head.txt`) signed by this
///    station's key over exactly its log, and it must agree with every anchor at or below its size.
/// 2. The catalog in place is kept beside it (`<catalog>.replaced-<time>`), never deleted.
/// 3. "restored from the backup at checkpoint N" goes into the chain (`catalog.restore`).
/// 4. Clips stored after the backup are re-cataloged from the replaced catalog's audit rows where
///    its chain survived, else adopted from the store and flagged.
/// 5. A restore statement is signed with the station key (`restored-from=N`) into the anchors:
///    only with it are anchors of the replaced history "superseded" rather than a rollback.
/// 6. The restored catalog is verified against the anchors.
public struct CatalogRestore {
    public struct Outcome: Sendable {
        public var backupTreeSize: Int64
        public var replacedPath: String?
        public var recataloged: [String] = []
        public var adopted: [String] = []
        public var statement: SignedTreeHead?
        public var verification: AuditVerification?
    }

    let config: CustodyConfig
    let logger: Logger

    public init(config: CustodyConfig, logger: Logger) { self.config = config; self.logger = logger }

    public func run(from backup: String, reason: String, actor: String, now: Date = Date()) throws -> Outcome {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw RestoreError("a restore needs --reason saying why") }
        let catalogPath = config.paths.catalog
        let lock = open(catalogPath + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            throw RestoreError("catalog \(catalogPath) is in use by a running custodyd; stop it first (systemctl stop custodyd)")
        }
        defer { close(lock) }
        let keyPath = config.paths.resolvedStationKey
        guard FileManager.default.fileExists(atPath: keyPath) else {
            throw RestoreError("the station key \(keyPath) is missing; a restore signs its statement with it")
        }
        let key = try StationKey.loadOrCreate(path: keyPath).key
        let anchors = AnchorFiles(spool: config.paths.spool, timeZone: config.station.resolvedTimeZone)
        let (source, head) = try backupFiles(backup)
        try checkBackup(source, head: head, key: key, anchors: anchors)

        var outcome = Outcome(backupTreeSize: head.treeSize)
        let stamp = Self.stamp(now)
        if FileManager.default.fileExists(atPath: catalogPath) {
            let replaced = catalogPath + ".replaced-" + stamp
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: catalogPath + suffix) {
                try FileManager.default.moveItem(atPath: catalogPath + suffix, toPath: replaced + suffix)
            }
            outcome.replacedPath = replaced
        }
        try FileManager.default.copyItem(atPath: source, toPath: catalogPath)
        let catalog = try Catalog(path: catalogPath, exclusive: false)
        let old = outcome.replacedPath.flatMap { try? Catalog(path: $0, exclusive: false) }
        let oldChainIntact = (try? old?.verifyAudit().firstBadSeq == nil) ?? false
        try catalog.audit(actor: actor, action: "catalog.restore", object: "station", detail: [
            "summary": "restored from the backup at checkpoint \(head.treeSize)", "backup": source, "backupHead": head.line,
            "replaced": outcome.replacedPath ?? "(no catalog was in place)", "replacedChain": old == nil ? "unreadable" : (oldChainIntact ? "intact" : "broken"),
            "reason": reason])

        let store = try EvidenceStore(root: config.paths.store)
        let known = try catalog.clipHashes()
        for sha in store.storedHashes().filter({ !known.contains($0) }).sorted() {
            if oldChainIntact, let old, try catalog.recatalog(sha, from: old, reason: "stored after the backup at checkpoint \(head.treeSize); restore: \(reason)") {
                outcome.recataloged.append(sha)
                continue
            }
            guard let (actual, size) = try? store.rehash(sha), actual == sha else { continue }
            try catalog.adopt(Clip(sha256: sha, sizeBytes: size, mediaKind: "other", format: "unknown", recordedAt: nil, durationSeconds: nil,
                                   timeSource: TimeSource.none.rawValue, deviceSerial: nil, officerBadge: nil, ingestedAt: now, dueAt: nil,
                                   late: false, flags: [ClipFlag.adoptedFromStore.rawValue], sourcePath: ""),
                              reason: "stored after the backup at checkpoint \(head.treeSize); no surviving audit chain catalogs it (restore: \(reason))")
            outcome.adopted.append(sha)
        }

        let (size, root, _, _) = try catalog.consistencyProof(from: 0)
        let statement = try SignedTreeHead.sign(treeSize: size, root: root.hex, time: now, key: key, restoredFrom: head.treeSize)
        try anchors.append(statement, reason: "restore from the backup at checkpoint \(head.treeSize) (\(source)): \(reason)")
        try? FileManager.default.removeItem(atPath: (anchors.folder as NSString).appendingPathComponent(AnchorFiles.verifiedName))
        outcome.statement = statement
        outcome.verification = try catalog.verifyAudit(anchors: anchors.anchors(), stationKey: key.publicKeyHex)
        logger.notice("catalog restored", metadata: ["backup": "\(source)", "checkpoint": "\(head.treeSize)",
                                                     "recataloged": "\(outcome.recataloged.count)", "adopted": "\(outcome.adopted.count)"])
        return outcome
    }

    /// The backup's catalog file and signed head: a folder `custodyctl backup` made, or its file.
    func backupFiles(_ backup: String) throws -> (String, SignedTreeHead) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: backup, isDirectory: &isDirectory) else { throw RestoreError("\(backup) does not exist") }
        let folder = isDirectory.boolValue ? backup : (backup as NSString).deletingLastPathComponent
        let file = isDirectory.boolValue ? (backup as NSString).appendingPathComponent(CatalogBackup.catalogName) : backup
        let headPath = (folder as NSString).appendingPathComponent(CatalogBackup.headName)
        guard let text = try? String(contentsOfFile: headPath, encoding: .utf8), let head = SignedTreeHead.find(in: text).first else {
            throw RestoreError("\(headPath) with the backup's signed head is missing; only a backup made by custodyctl backup can be restored")
        }
        return (file, head)
    }

    /// The backup must be this station's, intact, exactly what its head signs, and agree with
    /// every anchor its log reaches.
    func checkBackup(_ file: String, head: SignedTreeHead, key: StationKey, anchors: AnchorFiles) throws {
        guard head.signatureValid, head.publicKey == key.publicKeyHex else {
            throw RestoreError("the backup's head is not signed by this station's key; it is not this station's backup")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("custody-restore-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: file, toPath: scratch)
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: scratch + suffix) } }
        let copy = try Catalog(path: scratch, exclusive: false)
        // Its own head first (opening an older backup migrates it, which only appends), then
        // every anchor of this station its log reaches.
        let reached = [Anchor(source: "the backup's signed head", head: head)]
            + anchors.anchors().filter { $0.head.treeSize <= head.treeSize && $0.head.restoredFrom == nil }
        let result = try copy.verifyAudit(anchors: reached, stationKey: key.publicKeyHex)
        guard result.firstBadSeq == nil else { throw RestoreError("the backup's audit chain is broken: \(result.problem ?? "")") }
        if let bad = result.anchors.first(where: \.isProblem) {
            throw RestoreError("the backup is not a copy of this station's history: \(bad.message)")
        }
    }

    /// What the administrator reads after a restore.
    public static func summary(_ o: Outcome) -> String {
        var lines = ["restored from the backup at checkpoint \(o.backupTreeSize) / 已从检查点 \(o.backupTreeSize) 的备份恢复目录"]
        if let replaced = o.replacedPath { lines.append("the catalog in place was kept as \(replaced) / 原目录保留为 \(replaced)") }
        lines.append("clips stored after the backup: \(o.recataloged.count) re-cataloged from the surviving audit chain, \(o.adopted.count) adopted from the store and flagged adopted-from-store / 备份之后入库的录像：\(o.recataloged.count) 条依审计链重新编目，\(o.adopted.count) 条从存储区收录并标记")
        if let statement = o.statement { lines.append("restore statement signed into the anchors / 已签名写入锚点：\(statement.line)") }
        if let v = o.verification {
            let superseded = v.anchors.filter { $0.verdict == .superseded }.count
            lines.append(v.valid
                ? "verified: chain, rows and \(v.anchors.count) anchors agree (\(superseded) from the replaced history, superseded by this restore) / 校验通过"
                : "VERIFICATION FAILED / 校验未通过: \(v.problem ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}

/// Why a restore was refused, for the administrator.
public struct RestoreError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
