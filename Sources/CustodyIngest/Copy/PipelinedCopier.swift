import Crypto
import CustodyCore
import Foundation
import Glibc
import Synchronization

/// A drop-in for `VerifiedCopier` with the same results, errors and acknowledgement rule: a copy
/// is returned only after the temp file's fsync, a read-back from the device whose SHA-256
/// matches, the rename to the content address and the directory fsyncs. It is faster on large files:
///  - the calling thread reads the source and writes the temp file while a second thread
///    hashes the same buffers (a ring of `slots` × `bufferBytes`, 2 MiB by default), so
///    SHA-256 runs on another core than the I/O;
///  - the temp file is written with O_DIRECT from the page-aligned ring (issue 21): the bytes go
///    from the buffer the hash read to the device, with no copy into the page cache, no dirty
///    pages for writeback to find and drop, and a full disk shows at the write, not at the
///    barrier. An unaligned tail (or a short source read mid-file), and any filesystem that
///    refuses O_DIRECT, is written buffered from there on, pushed to the disk in
///    `writebackBytes` windows (sync_file_range) and its pages dropped, so the fsync finds no
///    large dirty backlog and memory use stays flat;
///  - the read-back switches the temp descriptor to O_DIRECT, so the device (never the page
///    cache) answers; the unaligned tail, and any filesystem that refuses O_DIRECT (tmpfs,
///    some FUSE), falls back to VerifiedCopier's fadvise(DONTNEED) + buffered read.
///    The read-back is hashed on the second thread too.
/// Files below `pipelineThreshold` (photos) take the same steps on the calling thread alone.
public struct PipelinedCopier: Sendable {
    /// A source copied into a temp file in the store and hashed, not yet durable or verified.
    public struct StagedCopy: Sendable {
        public let tempPath: String
        public let sha256: String
        public let size: UInt64
        public let mtime: Date
        public let changedDuringCopy: Bool
        /// How `finish` checks the read-back, and the digest of the copied bytes it must match
        /// (the SHA-256 itself, or their XXH3-128).
        public let readBack: ReadBackCheck
        let readBackDigest: String
        /// Removes the temp file (a copy that will not be finished).
        public func discard() { unlink(tempPath) }
    }

    public let store: EvidenceStore
    public let bufferBytes: Int
    public let slots: Int
    public let pipelineThreshold: Int
    public let writebackBytes: Int
    /// false: read back through the page cache after fadvise(DONTNEED), as VerifiedCopier does.
    public let directReadBack: Bool
    /// false: write the temp file through the page cache (sync_file_range windows) throughout.
    public let directWrite: Bool
    /// What the read-back of a stored copy is compared with (`[ingest] read_back`).
    public let readBack: ReadBackCheck
    /// Buffers for files below `pipelineThreshold`, reused from file to file and thread to thread.
    let smallBuffers: RingPool

    public init(store: EvidenceStore, bufferBytes: Int = 512 << 10, slots: Int = 4,
                pipelineThreshold: Int = 8 << 20, writebackBytes: Int = 32 << 20, directReadBack: Bool = true,
                directWrite: Bool = true, readBack: ReadBackCheck = .sha256) {
        self.store = store
        self.bufferBytes = (max(64 << 10, bufferBytes) + 4095) & ~4095  // O_DIRECT wants 4 KiB multiples
        self.slots = max(2, slots)
        self.pipelineThreshold = pipelineThreshold
        self.writebackBytes = max(self.bufferBytes, writebackBytes)
        self.directReadBack = directReadBack
        self.directWrite = directWrite
        self.readBack = readBack
        smallBuffers = RingPool(slotBytes: min(self.bufferBytes, 1 << 20), keep: 16)
    }

    /// Copies from an open source descriptor (opened by the scanner, never through a symlink).
    /// Never writes to the source.
    /// - Parameter onRead: called on the calling thread after each chunk read from the source
    ///   (the stall watch uses it to tell a slow camera from one that stopped answering).
    public func copy(sourceFD: Int32, displayPath: String, onRead: (Int) -> Void = { _ in }) throws -> CopyResult {
        let staged = try stage(sourceFD: sourceFD, displayPath: displayPath, onRead: onRead)
        return try finish(staged, dataDurable: false, syncDirectories: true).result
    }

    /// First half of a copy: the source read into a temp file in the store and hashed, nothing
    /// fsynced yet. `finish` (or `discard`) must follow. A batch of small files stages each, makes
    /// the lot durable with one barrier, then finishes each (group commit, performance issue).
    /// - Parameter startWriteback: start writing the temp file to the disk now (sync_file_range),
    ///   so the batch's barrier finds it mostly written.
    /// - Parameter compactRing: a file at or above `pipelineThreshold` goes through two slots of
    ///   `bufferBytes` (at most 1 MiB) instead of `slots` (the staging workers copy several such
    ///   files at once: less memory, and faster in paired runs than the full ring).
    public func stage(sourceFD: Int32, displayPath: String, startWriteback: Bool = false, compactRing: Bool = false,
                      onRead: (Int) -> Void = { _ in }) throws -> StagedCopy {
        let (before, threaded, ring) = try beginReading(sourceFD: sourceFD, displayPath: displayPath, compact: compactRing)
        defer { if !threaded { smallBuffers.give(ring) } }

        let temp = try store.makeTempFile()
        defer { close(temp.fd) }
        do {
            var offset: off_t = 0, started: off_t = 0, settled: off_t = 0
            var writer = TempWriter(fd: temp.fd, path: temp.path, direct: directWrite)
            let hashed = try ring.run(threaded: threaded, kinds: .copying(readBack), fill: { buffer, capacity in
                while true {
                    let n = pread(sourceFD, buffer, capacity, offset)
                    if n >= 0 { onRead(n); return n }
                    if errno != EINTR { throw CopyError.reading(displayPath, errno: errno, at: offset, size: before.st_size) }
                }
            }, drain: { chunk in
                try writer.write(chunk, at: offset)
                offset += off_t(chunk.count)
                // Direct writes leave nothing dirty; buffered ones go out in windows.
                guard writer.buffered else {
                    (started, settled) = (offset, offset)
                    return
                }
                guard offset - started >= writebackBytes else { return }
                // Start writeback of the window just written; wait for the one before and drop it.
                try Self.syncRange(temp, from: started, to: offset, flags: Linux.write)
                if started > settled {
                    try Self.syncRange(temp, from: settled, to: started, flags:
                        Linux.waitBefore | Linux.write | Linux.waitAfter)
                    _ = posix_fadvise(temp.fd, settled, started - settled, Int32(POSIX_FADV_DONTNEED))
                    settled = started
                }
                started = offset
            })
            var after = stat()
            guard fstat(sourceFD, &after) == 0 else { throw CopyError.sourceRead(path: displayPath, errno: errno) }
            let changed = after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec
                || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec
            if !changed && offset != before.st_size {
                // Unchanged, yet the filesystem gave fewer (or more) bytes than its size says.
                throw CopyError.shortRead(path: displayPath, expected: UInt64(before.st_size), got: UInt64(offset))
            }
            if startWriteback && writer.buffered && offset > started {
                try Self.syncRange(temp, from: started, to: offset, flags: Linux.write)
            }
            CrashPoint.afterTempWrite.hit()
            let mtime = Date(timeIntervalSince1970: Double(before.st_mtim.tv_sec) + Double(before.st_mtim.tv_nsec) / 1e9)
            return StagedCopy(tempPath: temp.path, sha256: hashed.sha256!, size: UInt64(offset),
                              mtime: mtime, changedDuringCopy: changed, readBack: readBack,
                              readBackDigest: hashed.checked(by: readBack)!)
        } catch {
            unlink(temp.path)
            throw error
        }
    }

    /// Second half of a copy: fsync (unless a barrier already made the batch's data durable), read
    /// back from the device and compare, rename to the content address. The temp file is removed
    /// on failure. With `syncDirectories` false the rename is durable only once the returned
    /// folders are fsynced (or the store's barrier ran): the caller must do that before it
    /// acknowledges the clip.
    public func finish(_ staged: StagedCopy, dataDurable: Bool, syncDirectories: Bool) throws
        -> (result: CopyResult, directories: Set<String>) {
        do {
            let fd = open(staged.tempPath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw StoreError.io(what: "open \(staged.tempPath)", errno: errno) }
            defer { close(fd) }
            if !dataDurable {
                guard fsync(fd) == 0 else {
                    if errno == ENOSPC || errno == EDQUOT { throw StoreError.noSpace(path: staged.tempPath) }
                    throw StoreError.io(what: "fsync \(staged.tempPath)", errno: errno)
                }
            }
            CrashPoint.afterFsync.hit()
            let threaded = Int(staged.size) >= pipelineThreshold
            // Two 512 KiB slots suffice for the read-back (one read while the other is hashed): the
            // committer reads back up to 8 files at once while the next batch is staged with the
            // full ring, and the daemon's memory stays under 64 MiB.
            let ring = threaded ? try Ring(count: 2, slotBytes: min(bufferBytes, 512 << 10)) : try smallBuffers.take()
            defer { if !threaded { smallBuffers.give(ring) } }
            let check = staged.readBack
            let reread = try rehash(fd: fd, size: staged.size, ring: ring, threaded: threaded, kinds: .readingBack(check))
                .checked(by: check)!
            guard reread == staged.readBackDigest else {
                let named = { (digest: String) in check == .sha256 ? digest : "\(check.rawValue) \(digest)" }
                throw StoreError.verificationFailed(expected: named(staged.readBackDigest), got: named(reread))
            }
            let directories = try store.commit(tempPath: staged.tempPath, sha256: staged.sha256, syncDirectories: syncDirectories)
            CrashPoint.afterRename.hit()
            return (CopyResult(sha256: staged.sha256, size: staged.size, mtime: staged.mtime,
                               changedDuringCopy: staged.changedDuringCopy), directories)
        } catch {
            unlink(staged.tempPath)
            throw error
        }
    }

    /// The source as it is before it is read (a regular file, or refused), and buffers for it:
    /// a ring hashing on a second thread for a large file, a pooled one for a small file (give it
    /// back to `smallBuffers` when not threaded).
    func beginReading(sourceFD: Int32, displayPath: String, compact: Bool = false) throws -> (before: stat, threaded: Bool, ring: Ring) {
        var before = stat()
        guard fstat(sourceFD, &before) == 0 else { throw CopyError.sourceRead(path: displayPath, errno: errno) }
        guard (before.st_mode & S_IFMT) == S_IFREG else { throw CopyError.notRegular(path: displayPath) }
        let threaded = Int(before.st_size) >= pipelineThreshold
        let ring = try compact && threaded ? Ring(count: 2, slotBytes: min(bufferBytes, 1 << 20)) : makeRing(threaded: threaded)
        _ = posix_fadvise(sourceFD, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        return (before, threaded, ring)
    }

    private func makeRing(threaded: Bool) throws -> Ring {
        try threaded ? Ring(count: slots, slotBytes: bufferBytes) : smallBuffers.take()
    }

    /// Re-reads the fsynced temp file from the device. O_DIRECT bypasses the page cache outright
    /// (fadvise(DONTNEED) is only advice: it skips pages that are mapped, locked or busy); the
    /// buffers, offsets and lengths are 4 KiB aligned. Once the offset is unaligned (the short
    /// read at the tail) or the filesystem refuses O_DIRECT, the rest is read buffered after
    /// dropping its cached pages, exactly as VerifiedCopier does.
    private func rehash(fd: Int32, size: UInt64, ring: Ring, threaded: Bool, kinds: PassKinds) throws -> PassDigest {
        let flags = fcntl(fd, F_GETFL)
        var direct = directReadBack && flags >= 0 && fcntl(fd, F_SETFL, flags | Linux.oDirect) == 0
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
        defer {
            if direct { _ = fcntl(fd, F_SETFL, flags) }
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
        }
        var offset: off_t = 0
        return try ring.run(threaded: threaded, kinds: kinds, fill: { buffer, capacity in
            while true {
                if direct && offset & 4095 != 0 {
                    direct = false
                    _ = fcntl(fd, F_SETFL, flags)
                    _ = posix_fadvise(fd, offset & ~4095, 0, Int32(POSIX_FADV_DONTNEED))
                }
                // An O_DIRECT read past the end zero-fills the rest of the buffer in the kernel
                // (a 1 MiB buffer for a 200 KB photo: 3 % of the CPU on 10,000 photos), so it asks
                // for the expected rest, rounded up to whole blocks (more than that still shows).
                let rest = Int(clamping: Int64(size) - Int64(offset))
                let want = direct ? min(capacity, max(4096, (rest + 4095) & ~4095)) : capacity
                let n = pread(fd, buffer, want, offset)
                if n >= 0 {
                    offset += off_t(n)
                    return n
                }
                if errno == EINTR { continue }
                if errno == EINVAL && direct {  // O_DIRECT refused after all: finish buffered
                    direct = false
                    _ = fcntl(fd, F_SETFL, flags)
                    _ = posix_fadvise(fd, offset, 0, Int32(POSIX_FADV_DONTNEED))
                    continue
                }
                throw StoreError.io(what: "read back stored copy", errno: errno)
            }
        }, drain: { _ in })
    }

    private static func syncRange(_ temp: (fd: Int32, path: String), from: off_t, to: off_t, flags: UInt32) throws {
        // sync_file_range consumes a writeback error (the later fsync would not see it again), so it is checked here.
        guard let syncFileRange = Linux.syncFileRange else { return }  // absent: the fsync does all the work
        guard syncFileRange(temp.fd, from, to - from, flags) == 0 else {
            if errno == ENOSPC || errno == EDQUOT { throw StoreError.noSpace(path: temp.path) }
            throw StoreError.io(what: "write back \(temp.path)", errno: errno)
        }
    }

    /// Writes all of `bytes` (short writes and EINTR retried); a full disk is `noSpace`. EINVAL is
    /// retried when `invalid` says it changed what made the write invalid (O_DIRECT turned off).
    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, tempPath: String,
                         invalid: () throws -> Bool = { false }) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL, try invalid() { continue }
                if errno == ENOSPC || errno == EDQUOT { throw StoreError.noSpace(path: tempPath) }
                throw StoreError.io(what: "write \(tempPath)", errno: errno)
            }
            done += n
        }
    }
}

/// Linux-only names that Glibc's Swift module hides behind _GNU_SOURCE.
enum Linux {
    #if arch(x86_64) || arch(i386)
    static let oDirect: Int32 = 0o40000
    #else
    static let oDirect: Int32 = 0o200000  // arm64, riscv64
    #endif
    static let waitBefore: UInt32 = 1, write: UInt32 = 2, waitAfter: UInt32 = 4
    typealias SyncFileRange = @convention(c) (Int32, off_t, off_t, UInt32) -> Int32
    static let syncFileRange: SyncFileRange? = dlsym(nil, "sync_file_range").map { unsafeBitCast($0, to: SyncFileRange.self) }
}
