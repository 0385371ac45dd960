import CustodyAPI
import CustodyCatalog
import Foundation

/// `custodyctl backup --to DIR` (provable-catalog issue, item 5): an online, consistent copy of
/// the catalog through SQLite's backup API, with the tree head of its own log signed by the
/// station key and kept in the anchors, and how to copy the store. A restore
/// (`CatalogRestore`) takes nothing else.
extension APIHandlers {
    func backup(to target: String, actor: String) throws -> BackupItem {
        let folder = try exportFolder(target)
        let stamp = CatalogRestore.stamp(Date())
        let dir = (folder as NSString).appendingPathComponent("custody-backup-\(stamp)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let file = (dir as NSString).appendingPathComponent(CatalogBackup.catalogName)
        let (size, root) = try catalog.backup(to: file)
        let head = try SignedTreeHead.sign(treeSize: size, root: root.hex, time: Date(), key: integrity.heads.key)
        try integrity.heads.anchor(head, reason: "backup to \(dir)")
        let copyStore = "rsync -a --ignore-existing \(store.root)/ <backup drive>/store/"
        try """
            Custody catalog backup / 目录备份
            Taken at checkpoint \(size) (\(CatalogBackup.catalogName) holds \(size) audit rows) / 备份时的审计检查点：
            \(head.line)

            The store is write-once and content-addressed: copy it with / 证据存储区只增不改，复制新文件即可：
              \(copyStore)
            Restore (custodyd stopped) / 恢复（先停止 custodyd）：
              custodyd --config /etc/custody/custodyd.toml --restore-from \(dir) --reason "…"

            """.write(toFile: (dir as NSString).appendingPathComponent(CatalogBackup.headName), atomically: true, encoding: .utf8)
        try catalog.audit(actor: actor, action: "catalog.backup", object: "station",
                          detail: ["path": dir, "treeSize": String(size), "root": root.hex, "signedHead": head.line])
        return BackupItem(path: dir, treeSize: size, root: root.hex, signedHead: head.line, store: store.root, copyStore: copyStore)
    }
}

/// The files of a backup folder.
enum CatalogBackup {
    static let catalogName = "catalog.sqlite"
    static let headName = "backup-head.txt"
}
