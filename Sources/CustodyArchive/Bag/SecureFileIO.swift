#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import CustodyCore
import Foundation

/// Plain POSIX file work for the export, because the guarantees matter more
/// than convenience here: no link is ever followed (O_NOFOLLOW, and every
/// folder written into is a `HeldFolder`), nothing is ever overwritten
/// (O_EXCL), and every file and folder is fsynced before the clerk is told the
/// drive can be unplugged.
enum SecureFileIO {
    static let chunkSize = 1 << 20

    /// Opens a source file for reading, refusing links and anything but a
    /// regular file (a device or FIFO in the store would be an attack).
    static func openRegularFile(_ path: String) throws(BagExportError) -> Int32 {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw .io(operation: "open", path: path, errno: errno) }
        if isLink(st) { throw .symlinkRefused(path) }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw .symlinkRefused(path) }
            throw .io(operation: "open", path: path, errno: e)
        }
        guard fstat(fd, &st) == 0, isRegular(st) else {
            close(fd)
            throw .notARegularFile(path)
        }
        return fd
    }

    /// Streams `source` into the new file `target`, hashing what was read,
    /// then fsyncs. Memory stays at one chunk whatever the clip's size.
    static func copy(from source: String, to folder: HeldFolder, name: String,
                     progress: (Int) -> Void) throws(BagExportError) -> (sha256: String, bytes: Int64) {
        let target = folder.child(name)
        let input = try openRegularFile(source)
        defer { close(input) }
        let output = try folder.createNewFile(name)
        defer { close(output) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let n = read(input, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: source, errno: errno)
            }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hasher.update(bufferPointer: chunk)
            try writeAll(output, chunk, path: target)
            total += Int64(n)
            progress(n)
        }
        try sync(output, path: target)
        return (hex(hasher.finalize()), total)
    }

    /// Writes a small file (a tag file) whole and fsyncs it.
    static func writeNewFile(in folder: HeldFolder, _ name: String, _ data: Data) throws(BagExportError) -> (sha256: String, bytes: Int64) {
        let path = folder.child(name)
        let fd = try folder.createNewFile(name)
        defer { close(fd) }
        let bytes = [UInt8](data)
        let failure: BagExportError? = bytes.withUnsafeBytes { raw in
            do throws(BagExportError) { try writeAll(fd, raw, path: path) } catch { return error }
            return nil
        }
        if let failure { throw failure }
        try sync(fd, path: path)
        return (hex(SHA256.hash(data: bytes)), Int64(bytes.count))
    }

    /// Hashes a file already written, without following links.
    static func hashFile(_ path: String) throws(BagExportError) -> (sha256: String, bytes: Int64) {
        let fd = try openRegularFile(path)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let n = read(fd, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += Int64(n)
        }
        return (hex(hasher.finalize()), total)
    }

    private static func writeAll(_ fd: Int32, _ data: UnsafeRawBufferPointer, path: String) throws(BagExportError) {
        var offset = 0
        while offset < data.count {
            let n = write(fd, data.baseAddress! + offset, data.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            offset += n
        }
    }

    /// fsync, then drop the cached pages so the verification pass reads the
    /// drive itself rather than memory (Linux; elsewhere only the fsync).
    private static func sync(_ fd: Int32, path: String) throws(BagExportError) {
        guard fsync(fd) == 0 else { throw .io(operation: "sync", path: path, errno: errno) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
        #endif
    }

    static func isLink(_ st: stat) -> Bool { st.st_mode & S_IFMT == S_IFLNK }
    static func isRegular(_ st: stat) -> Bool { st.st_mode & S_IFMT == S_IFREG }
    static func isDirectory(_ st: stat) -> Bool { st.st_mode & S_IFMT == S_IFDIR }

    static func hex<D: Digest>(_ digest: D) -> String {
        Hex.string(digest)
    }
}
