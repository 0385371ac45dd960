import Crypto
import CustodyCore
import Foundation
import Glibc

/// What a verified copy produced.
public struct CopyResult: Sendable, Equatable {
    public var sha256: String
    public var size: UInt64
    public var mtime: Date?
    /// The source's size or mtime changed while it was read; the stored bytes are what was read.
    public var changedDuringCopy: Bool
}

/// Copies one source file into the store the way DESIGN.md's data flow step 3 says:
/// SHA-256 while copying, fsync, re-read the written file with the page cache dropped and
/// compare, then an atomic rename to the content address (mode 0444) and a directory fsync.
/// A clip is never acknowledged before all of that succeeded.
public struct VerifiedCopier: Sendable {
    public let store: EvidenceStore
    public let bufferBytes: Int

    public init(store: EvidenceStore, bufferBytes: Int = 4 << 20) {
        self.store = store
        self.bufferBytes = max(64 << 10, bufferBytes)
    }

    /// Copies from an open source descriptor (opened by the scanner, never through a symlink).
    /// Never writes to the source.
    public func copy(sourceFD: Int32, displayPath: String) throws -> CopyResult {
        var before = stat()
        guard fstat(sourceFD, &before) == 0 else { throw CopyError.sourceRead(path: displayPath, errno: errno) }
        guard (before.st_mode & S_IFMT) == S_IFREG else { throw CopyError.notRegular(path: displayPath) }

        let temp = try store.makeTempFile()
        var tempOpen = true
        defer {
            if tempOpen { close(temp.fd) }
        }
        do {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferBytes, alignment: 4096)
            defer { buffer.deallocate() }
            var hasher = SHA256()
            var offset: off_t = 0
            while true {
                let n = pread(sourceFD, buffer.baseAddress, bufferBytes, offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CopyError.reading(displayPath, errno: errno, at: offset, size: before.st_size)
                }
                if n == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                hasher.update(bufferPointer: chunk)
                try PipelinedCopier.writeAll(fd: temp.fd, chunk, tempPath: temp.path)
                offset += off_t(n)
            }
            var after = stat()
            guard fstat(sourceFD, &after) == 0 else { throw CopyError.sourceRead(path: displayPath, errno: errno) }
            let changed = after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec
                || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec
            if !changed && offset != before.st_size {
                // The file did not change, yet the filesystem gave fewer (or more) bytes than its
                // size says: a driver limit (fusefat stops at 2 GiB) or a damaged FAT chain.
                throw CopyError.shortRead(path: displayPath, expected: UInt64(before.st_size), got: UInt64(offset))
            }
            CrashPoint.afterTempWrite.hit()
            guard fsync(temp.fd) == 0 else {
                if errno == ENOSPC || errno == EDQUOT { throw StoreError.noSpace(path: temp.path) }
                throw StoreError.io(what: "fsync \(temp.path)", errno: errno)
            }
            CrashPoint.afterFsync.hit()
            let digest = Self.hex(hasher.finalize())
            let reread = try rehash(fd: temp.fd, buffer: buffer)
            guard reread == digest else { throw StoreError.verificationFailed(expected: digest, got: reread) }
            close(temp.fd)
            tempOpen = false
            try store.commit(tempPath: temp.path, sha256: digest)
            CrashPoint.afterRename.hit()
            let mtime = Date(timeIntervalSince1970: Double(before.st_mtim.tv_sec) + Double(before.st_mtim.tv_nsec) / 1e9)
            return CopyResult(sha256: digest, size: UInt64(offset), mtime: mtime, changedDuringCopy: changed)
        } catch {
            unlink(temp.path)
            throw error
        }
    }

    /// Re-reads the fsynced temp file after asking the kernel to drop its cached pages, so the
    /// comparison checks what reached the disk rather than what is still in memory.
    private func rehash(fd: Int32, buffer: UnsafeMutableRawBufferPointer) throws -> String {
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
        var hasher = SHA256()
        var offset: off_t = 0
        while true {
            let n = pread(fd, buffer.baseAddress, bufferBytes, offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(what: "read back stored copy", errno: errno)
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += off_t(n)
        }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
        return Self.hex(hasher.finalize())
    }


    static func hex(_ digest: SHA256.Digest) -> String { Hex.string(digest) }
}

/// Why a source file could not be copied.
public enum CopyError: Error, CustomStringConvertible, Equatable {
    case sourceRead(path: String, errno: Int32)
    case notRegular(path: String)
    case shortRead(path: String, expected: UInt64, got: UInt64)

    /// A camera file's read that failed at `offset` of a file of `size` bytes. A driver that cannot
    /// read past 2 GiB of a file refuses there instead of returning less (fusefat answers EPERM,
    /// measured with a 4 GB clip in issue 21; others answer EFBIG or EOVERFLOW): that is told as
    /// the short read it is, whose message says what to do, not as "Operation not permitted".
    public static func reading(_ path: String, errno code: Int32, at offset: off_t, size: off_t) -> CopyError {
        let driverLimit: off_t = 1 << 31
        if [EPERM, EFBIG, EOVERFLOW].contains(code), offset >= driverLimit, size > offset {
            return .shortRead(path: path, expected: UInt64(size), got: UInt64(offset))
        }
        return .sourceRead(path: path, errno: code)
    }

    /// The medium went away (pulled cable, killed FUSE daemon) rather than one bad file.
    public var mediumGone: Bool {
        if case .sourceRead(_, let code) = self { return code == ENOTCONN || code == ENODEV || code == ENXIO || code == ESHUTDOWN }
        return false
    }

    public var description: String {
        switch self {
        case .sourceRead(let path, let code):
            return "reading \(path) from the camera failed: \(String(cString: strerror(code)))"
        case .notRegular(let path):
            return "\(path) is not a regular file"
        case .shortRead(let path, let expected, let got):
            return "\(path): the camera's filesystem returned \(got) of \(expected) bytes; nothing was stored. Read the medium on a station whose FAT driver handles large files, or check it for damage"
        }
    }
}
