#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A folder of a bag being written, held open by descriptor. It is reached from `/` one path
/// component at a time, each opened with `O_NOFOLLOW | O_DIRECTORY`, and everything inside is
/// created relative to it (`mkdirat`, `openat`), so no component of any path the bag writes is a
/// link that was followed: a folder swapped for a link to the evidence store or `/etc` between a
/// check and the write is refused, not written through (authorization issue, item 5).
final class HeldFolder {
    let fd: Int32
    /// For messages only; never opened again by this path.
    let path: String

    private init(fd: Int32, path: String) { self.fd = fd; self.path = path }
    deinit { close(fd) }

    /// Opens an existing folder by its absolute path, refusing a link at any component.
    static func open(_ absolute: String) throws(BagExportError) -> HeldFolder {
        guard absolute.hasPrefix("/") else { throw .targetFolderMissing(absolute) }
        var current = HeldFolder(fd: Glibc.open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), path: "/")
        guard current.fd >= 0 else { throw .io(operation: "open folder", path: "/", errno: errno) }
        for component in absolute.split(separator: "/") where component != "." {
            current = try current.openChild(String(component), missing: .targetFolderMissing(current.child(String(component))))
        }
        return current
    }

    /// Creates `name` here (it must not exist yet) and holds it open.
    func makeNew(_ name: String) throws(BagExportError) -> HeldFolder {
        guard mkdirat(fd, name, 0o755) == 0 else {
            let e = errno
            if e == EEXIST { throw .bagExists(child(name)) }
            throw .io(operation: "create folder", path: child(name), errno: e)
        }
        return try openChild(name, missing: .io(operation: "open folder", path: child(name), errno: ENOENT))
    }

    /// Creates `name` here, or takes the folder the writer made before; a link or a file is refused.
    func ensure(_ name: String) throws(BagExportError) -> HeldFolder {
        if mkdirat(fd, name, 0o755) != 0 && errno != EEXIST {
            throw .io(operation: "create folder", path: child(name), errno: errno)
        }
        return try openChild(name, missing: .io(operation: "open folder", path: child(name), errno: ENOENT))
    }

    /// Creates the new file `name` here; fails if anything, a link included, is already there.
    func createNewFile(_ name: String) throws(BagExportError) -> Int32 {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else {
            let e = errno
            if e == EEXIST { throw .duplicatePath(child(name)) }
            throw .io(operation: "create", path: child(name), errno: e)
        }
        return file
    }

    /// fsyncs the folder, so the names in it survive a pulled plug (EINVAL tolerated).
    func sync() throws(BagExportError) {
        if fsync(fd) != 0, errno != EINVAL { throw .io(operation: "sync folder", path: path, errno: errno) }
    }

    func child(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    private func openChild(_ name: String, missing: BagExportError) throws(BagExportError) -> HeldFolder {
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else {
            let e = errno
            if e == ELOOP { throw .symlinkRefused(self.child(name)) }
            if e == ENOENT { throw missing }
            if e == ENOTDIR {
                var st = stat()
                if fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, SecureFileIO.isLink(st) { throw .symlinkRefused(self.child(name)) }
                throw .duplicatePath(self.child(name))
            }
            throw .io(operation: "open folder", path: self.child(name), errno: e)
        }
        return HeldFolder(fd: child, path: self.child(name))
    }
}
