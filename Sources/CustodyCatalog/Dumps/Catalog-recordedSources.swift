import CustodyCore
import Foundation
import GRDB

/// The content a dump recorded at one source path (a path may hold different bytes over time:
/// cameras restart their numbering after being cleared).
public struct RecordedSource: Sendable, Hashable {
    public var size: UInt64
    public var sha256: String
    public init(size: UInt64, sha256: String) { self.size = size; self.sha256 = sha256 }
}

extension Catalog {
    /// What a dump cataloged, by source path (attribution issue, item 0). A path and size seen
    /// before are only a hint to hash a file where it lies before copying it; whether the file
    /// was ingested is decided by the hash it has now.
    public func recordedSources(dumpID: Int64) throws -> [RawPath: [RecordedSource]] {
        try pool.read { db in
            var sources: [RawPath: [RecordedSource]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT source_path_raw, source_size, clip_sha256 FROM provenance WHERE dump_id = ?
                """, arguments: [dumpID])
            while let row = try rows.next() {
                let source = RecordedSource(size: UInt64(row["source_size"] as Int64), sha256: row["clip_sha256"])
                sources[RawPath(Array(row["source_path_raw"] as Data)), default: []].append(source)
            }
            return sources
        }
    }

    /// Whether the bytes with this hash are cataloged and not disposed, so a file of a medium
    /// that hashes to them needs no copy, only a provenance row.
    public func holdsClip(sha256: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM clip WHERE sha256 = ? AND disposed_at IS NULL", arguments: [sha256]) == true
        }
    }
}
