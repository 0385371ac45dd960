// TempDir.swift — a scratch directory under /tmp that cleans up after itself,
// including FUSE mounts and loop devices left under it by a failing test.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public final class TempDir: Sendable {
    /// The directory (absolute, symlinks resolved), e.g. /tmp/custody-test-a1B2c3.
    public let url: URL
    public var path: String { url.path }

    /// Creates `/tmp/<prefix>XXXXXX` with mkdtemp(3).
    public init(prefix: String = "custody-test-") throws {
        var template = Array("/tmp/\(prefix)XXXXXX".utf8CString)
        let ok = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard ok else { throw TestSupportError("mkdtemp failed: errno \(errno)") }
        let p = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        url = URL(fileURLWithPath: canonicalPath(URL(fileURLWithPath: p, isDirectory: true)), isDirectory: true)
    }

    /// `url/a/b/c`
    public func appending(_ components: String...) -> URL {
        components.reduce(url) { $0.appendingPathComponent($1) }
    }

    /// Creates (with intermediates) and returns `url/name`.
    @discardableResult
    public func subdirectory(_ name: String) throws -> URL {
        let u = url.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// Unmounts everything mounted at or under the directory (deepest first:
    /// `fusermount -u`, falling back to `umount -l`), detaches loop devices
    /// whose backing file lives under it, then removes the tree.
    /// Best effort and idempotent: never throws; safe in `defer`.
    public func cleanup() {
        unmountAll(under: url)
        detachLoopDevices(backedUnder: url)
        if FileManager.default.fileExists(atPath: url.path) {
            try? FileManager.default.removeItem(at: url)
        }
    }
}

/// Unmounts every mount at/under `dir`, deepest first. Returns the mount points it tried.
@discardableResult
public func unmountAll(under dir: URL) -> [String] {
    var tried: [String] = []
    // Repeat: a lazy unmount can reveal another mount stacked at the same point.
    for _ in 0..<8 {
        let mounts = MountTable.entries(under: dir)
        if mounts.isEmpty { break }
        for m in mounts {
            tried.append(m.mountPoint)
            unmountPath(m.mountPoint, isFuse: m.isFuse)
        }
    }
    return tried
}

/// `fusermount -u` (FUSE) then `umount -l` as a fallback. Returns true if the path is no longer a mount point.
@discardableResult
public func unmountPath(_ path: String, isFuse: Bool) -> Bool {
    if isFuse {
        for tool in ["fusermount", "fusermount3"] {
            if let exe = findExecutable(tool), let r = try? run(exe, ["-u", path]), r.status == 0 {
                return true
            }
        }
    }
    if let r = try? run("umount", ["-l", path]), r.status == 0 { return true }
    return MountTable.entry(at: URL(fileURLWithPath: path)) == nil
}

/// Detaches /dev/loopN devices whose backing file is under `dir`.
public func detachLoopDevices(backedUnder dir: URL) {
    for dev in loopDevices(backedUnder: dir) {
        _ = try? run("losetup", ["-d", dev])
    }
}

/// /dev/loopN devices whose backing file (/sys/block/loopN/loop/backing_file) is at/under `dir`.
public func loopDevices(backedUnder dir: URL) -> [String] {
    let root = canonicalPath(dir)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/sys/block") else { return [] }
    var out: [String] = []
    for name in names.sorted() where name.hasPrefix("loop") {
        guard let backing = try? String(contentsOfFile: "/sys/block/\(name)/loop/backing_file", encoding: .utf8)
        else { continue }
        var b = backing.trimmingCharacters(in: .whitespacesAndNewlines)
        if b.hasSuffix(" (deleted)") { b.removeLast(" (deleted)".count) }
        if b == root || b.hasPrefix(root + "/") { out.append("/dev/\(name)") }
    }
    return out
}
