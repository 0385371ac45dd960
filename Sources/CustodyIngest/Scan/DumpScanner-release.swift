import CCustodyLinux
import CustodyCore
import Foundation
import Glibc

extension DumpScanner {
    /// Removes one file from a medium (releasing the camera, attribution issue item 7): each
    /// folder walked without following symlinks, the file checked to be the regular file the
    /// scan saw (same filesystem, size and modification time), then unlinked from its folder and
    /// the folder fsynced. Throws, leaving the file, when anything differs.
    public func removeFile(root: String, path: RawPath, size: UInt64, mtime: Date) throws {
        let components = path.bytes.split(separator: 0x2F, omittingEmptySubsequences: true).map(Array.init)
        guard let name = components.last else { throw CopyError.notRegular(path: path.display) }
        var dirFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { throw CopyError.sourceRead(path: root, errno: errno) }
        defer { close(dirFD) }
        var rootStat = stat()
        fstat(dirFD, &rootStat)
        for component in components.dropLast() {
            let next = Self.withCName(component) { custody_open_dir_nofollow(dirFD, $0) }
            guard next >= 0 else { throw CopyError.notRegular(path: path.display) }
            close(dirFD)
            dirFD = next
        }
        let fd = Self.withCName(name) { custody_open_nofollow(dirFD, $0) }
        guard fd >= 0 else { throw CopyError.notRegular(path: path.display) }
        var st = stat()
        let seen = fstat(fd, &st) == 0
        close(fd)
        let modified = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
        guard seen, (st.st_mode & S_IFMT) == S_IFREG, st.st_dev == rootStat.st_dev, UInt64(st.st_size) == size,
              abs(modified.timeIntervalSince(mtime)) < 0.001 else {
            throw ReleaseError(description: "\(path.display) is not the file that was copied (changed, moved or replaced since); it stays on the camera")
        }
        guard Self.withCName(name, { unlinkat(dirFD, $0, 0) }) == 0 else { throw CopyError.sourceRead(path: path.display, errno: errno) }
        _ = fsync(dirFD)
    }
}

/// Why a file stayed on a camera being released.
public struct ReleaseError: Error, CustomStringConvertible, Equatable {
    public let description: String
}
