import CCustodyLinux
import CustodyCore
import Foundation
import Glibc

/// A regular file found on a medium, identified by its raw relative path.
public struct ScannedFile: Sendable, Equatable {
    public var path: RawPath
    public var size: UInt64
    public var mtime: Date
}

/// An entry that will not be ingested, and why (so nothing is skipped silently).
public struct ScanRefusal: Sendable, Equatable {
    public var path: RawPath
    public var kind: String
    public var message: String
}

/// Everything a scan of a medium found.
public struct ScanResult: Sendable {
    public var files: [ScannedFile] = []
    public var refusals: [ScanRefusal] = []
    /// Upper-cased names of the entries at the medium's root (recognition looks at them).
    public var rootNames: [String] = []
    public var totalBytes: UInt64 { files.reduce(0) { $0 + $1.size } }
}

/// Walks a mounted medium without following symlinks and without leaving its filesystem
/// (DESIGN.md data flow step 3: "open without following links, stay on the mount, regular files only").
/// Names are kept as raw bytes: FAT short names are often GBK, not UTF-8.
public struct DumpScanner: Sendable {
    public var maxDepth = 64

    public init() {}

    public func scan(root: String) throws -> ScanResult {
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { throw CopyError.sourceRead(path: root, errno: errno) }
        var rootStat = stat()
        fstat(rootFD, &rootStat)
        var result = ScanResult()
        try walk(dirFD: rootFD, prefix: [], device: rootStat.st_dev, depth: 0, into: &result)
        return result
    }

    private func walk(dirFD: Int32, prefix: [UInt8], device: dev_t, depth: Int, into result: inout ScanResult) throws {
        guard let dir = fdopendir(dirFD) else {
            let code = errno
            close(dirFD)
            throw CopyError.sourceRead(path: RawPath(prefix).display, errno: code)
        }
        defer { closedir(dir) }
        var entries: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw CopyError.sourceRead(path: RawPath(prefix).display, errno: errno) }
                break
            }
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            entries.append(name)
        }
        entries.sort { $0.lexicographicallyPrecedes($1) }
        for name in entries {
            let relative = prefix.isEmpty ? name : prefix + [0x2F] + name
            if depth == 0 { result.rootNames.append(RawPath(name).display.uppercased()) }
            var st = stat()
            let statResult = Self.withCName(name) { fstatat(dirfd(dir), $0, &st, AT_SYMLINK_NOFOLLOW) }
            let path = RawPath(relative)
            guard statResult == 0 else {
                result.refusals.append(ScanRefusal(path: path, kind: "unreadable",
                                                   message: "cannot inspect: \(String(cString: strerror(errno)))"))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                if st.st_dev != device {
                    result.refusals.append(ScanRefusal(path: path, kind: "other-filesystem", message: "belongs to another filesystem; not part of this medium"))
                } else {
                    let mtime = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
                    result.files.append(ScannedFile(path: path, size: UInt64(st.st_size), mtime: mtime))
                }
            case S_IFDIR:
                if st.st_dev != device {
                    result.refusals.append(ScanRefusal(path: path, kind: "other-filesystem", message: "a different filesystem is mounted here; not followed"))
                } else if depth + 1 >= maxDepth {
                    result.refusals.append(ScanRefusal(path: path, kind: "too-deep", message: "folder nesting deeper than \(maxDepth) levels; not followed"))
                } else {
                    let child = Self.withCName(name) { custody_open_dir_nofollow(dirfd(dir), $0) }
                    if child < 0 {
                        result.refusals.append(ScanRefusal(path: path, kind: "unreadable", message: "cannot open folder: \(String(cString: strerror(errno)))"))
                    } else {
                        try walk(dirFD: child, prefix: relative, device: device, depth: depth + 1, into: &result)
                    }
                }
            case S_IFLNK:
                result.refusals.append(ScanRefusal(path: path, kind: "symlink", message: "symbolic link; links are never followed"))
            case S_IFIFO:
                result.refusals.append(ScanRefusal(path: path, kind: "fifo", message: "named pipe; not a recording"))
            case S_IFCHR, S_IFBLK:
                result.refusals.append(ScanRefusal(path: path, kind: "device-node", message: "device node; not a recording"))
            case S_IFSOCK:
                result.refusals.append(ScanRefusal(path: path, kind: "socket", message: "socket; not a recording"))
            default:
                result.refusals.append(ScanRefusal(path: path, kind: "unknown-type", message: "unknown file type; not ingested"))
            }
        }
    }

    /// Opens a scanned file for reading, walking each component without following symlinks and
    /// checking it is still a regular file on the same filesystem (it may have been swapped).
    public func openFile(root: String, path: RawPath) throws -> Int32 {
        var dirFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { throw CopyError.sourceRead(path: root, errno: errno) }
        var rootStat = stat()
        fstat(dirFD, &rootStat)
        let components = path.bytes.split(separator: 0x2F, omittingEmptySubsequences: true).map(Array.init)
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            let next = Self.withCName(component) { last ? custody_open_nofollow(dirFD, $0) : custody_open_dir_nofollow(dirFD, $0) }
            let code = errno
            close(dirFD)
            guard next >= 0 else {
                if code == ELOOP || code == ENOTDIR { throw CopyError.notRegular(path: path.display) }
                throw CopyError.sourceRead(path: path.display, errno: code)
            }
            dirFD = next
        }
        var st = stat()
        guard fstat(dirFD, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_dev == rootStat.st_dev else {
            close(dirFD)
            throw CopyError.notRegular(path: path.display)
        }
        return dirFD
    }

    static func withCName<T>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        var cName = name + [0]
        return cName.withUnsafeMutableBufferPointer { buffer in
            body(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
        }
    }
}
