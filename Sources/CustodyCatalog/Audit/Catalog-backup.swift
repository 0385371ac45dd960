import Foundation
import GRDB

extension Catalog {
    /// An online, consistent copy of the catalog at `path` through SQLite's backup API (ingest
    /// goes on meanwhile), made durable; returns the size and RFC 6962 root of the copy's own
    /// audit log, the checkpoint the backup is at (provable-catalog issue, item 5).
    public func backup(to path: String) throws -> (treeSize: Int64, root: MerkleHash) {
        let copy = try DatabaseQueue(path: path)
        try pool.backup(to: copy)
        let head = try copy.read { db -> (Int64, MerkleHash) in
            var scan = MerkleScan()
            let cursor = try String.fetchCursor(db, sql: "SELECT hash FROM audit ORDER BY seq")
            while let hash = try cursor.next() { scan.append(leafData: Array(hash.utf8)) }
            return (Int64(scan.size), scan.root)
        }
        try copy.close()
        for file in [path, (path as NSString).deletingLastPathComponent] {
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            if fd >= 0 { _ = fsync(fd); close(fd) }
        }
        return head
    }
}
