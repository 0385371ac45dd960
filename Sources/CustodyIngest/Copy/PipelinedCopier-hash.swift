import CustodyCore
import Foundation
import Glibc

extension PipelinedCopier {
    /// What hashing a source where it lies found: its SHA-256, how many bytes were read, and
    /// whether it changed while it was read (then the hash proves nothing).
    public struct SourceHash: Sendable, Equatable {
        public let sha256: String
        public let size: UInt64
        public let mtime: Date
        public let changedDuringRead: Bool
    }

    /// SHA-256 of a source without copying it (attribution issue, item 0): whether a file of a
    /// medium seen again is already in the store is decided by its content, never by its name
    /// and size. Reads through the same buffers as a copy (hashing on a second thread for large
    /// files), writes nothing anywhere. `compactRing` as for `stage`.
    public func hash(sourceFD: Int32, displayPath: String, compactRing: Bool = false,
                     onRead: (Int) -> Void = { _ in }) throws -> SourceHash {
        let (before, threaded, ring) = try beginReading(sourceFD: sourceFD, displayPath: displayPath, compact: compactRing)
        defer { if !threaded { smallBuffers.give(ring) } }
        var offset: off_t = 0
        let digest = try ring.run(threaded: threaded, fill: { buffer, capacity in
            while true {
                let n = pread(sourceFD, buffer, capacity, offset)
                if n >= 0 {
                    offset += off_t(n)
                    onRead(n)
                    return n
                }
                if errno != EINTR { throw CopyError.reading(displayPath, errno: errno, at: offset, size: before.st_size) }
            }
        }, drain: { _ in })
        var after = stat()
        guard fstat(sourceFD, &after) == 0 else { throw CopyError.sourceRead(path: displayPath, errno: errno) }
        let changed = after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec
            || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || offset != before.st_size
        let mtime = Date(timeIntervalSince1970: Double(before.st_mtim.tv_sec) + Double(before.st_mtim.tv_nsec) / 1e9)
        return SourceHash(sha256: digest.sha256!, size: UInt64(offset), mtime: mtime, changedDuringRead: changed)
    }

    /// The digest a read-back `check` computes (SHA-256 or XXH3-128) of a file, through the same
    /// ring. `make bench` times both, so the read-back check's cost is measured, not assumed.
    public static func digest(ofFileAt path: String, check: ReadBackCheck, bufferBytes: Int = CustodyConfig.Ingest().bufferBytes,
                              slots: Int = 4) throws -> (digest: String, bytes: UInt64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CopyError.sourceRead(path: path, errno: errno) }
        defer { close(fd) }
        let ring = try Ring(count: max(2, slots), slotBytes: (max(64 << 10, bufferBytes) + 4095) & ~4095)
        var offset: off_t = 0
        let digest = try ring.run(threaded: true, kinds: .readingBack(check), fill: { buffer, capacity in
            while true {
                let n = pread(fd, buffer, capacity, offset)
                if n >= 0 { offset += off_t(n); return n }
                if errno != EINTR { throw CopyError.sourceRead(path: path, errno: errno) }
            }
        }, drain: { _ in })
        return (digest.checked(by: check)!, UInt64(offset))
    }
}
