// FuseMount.swift — mount FAT32 (fusefat) / exFAT (exfat-fuse on a loop
// device) images without a kernel vfat/exfat driver, and simulate yanking the
// stick by SIGKILLing the FUSE daemon.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct FuseMount: Sendable, CustomStringConvertible {
    /// The image file that is mounted.
    public let image: URL
    /// The mount point (absolute).
    public let mountPoint: URL
    /// PID of the FUSE daemon serving the mount (fusefat / mount.exfat-fuse).
    public let pid: Int32
    /// The mountinfo entry seen right after mounting (fsType "fuse.fusefat", "fuse.vfat", "fuseblk").
    public let entry: MountEntry
    /// Loop device backing an exFAT mount (detached on unmount/yank), nil for fusefat.
    public let loopDevice: String?

    public var fsType: String { entry.fsType }
    public var description: String { "FuseMount(\(image.path) on \(mountPoint.path), pid \(pid), \(entry.fsType))" }

    /// True while `mountPoint` is listed in /proc/self/mountinfo (also true for a
    /// yanked-but-not-unmounted mount, whose accesses fail with ENOTCONN).
    public var isMounted: Bool { MountTable.entry(at: mountPoint) != nil }

    /// True while the FUSE daemon process is alive (not a zombie).
    public var isDaemonAlive: Bool { processIsAlive(pid) }

    // MARK: mounting

    /// `fusefat -o ro[,fsname=…,subtype=…] IMG DIR` (read-write: `-o rw+`, experimental
    /// in fusefat). Creates `dir`, waits (≤ `timeout`) until the mount is listed in
    /// /proc/self/mountinfo, then finds the daemon's pid via /proc/*/cmdline.
    ///
    /// `fsname: "/dev/loop3", subtype: "vfat"` makes the mount look like a kernel
    /// vfat mount of a USB stick (`fuse.vfat`, source /dev/loop3).
    public static func mountFAT(
        image: URL,
        at dir: URL,
        readOnly: Bool = true,
        fsname: String? = nil,
        subtype: String? = nil,
        timeout: TimeInterval = 10
    ) throws -> FuseMount {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let img = canonicalPath(image)
        let mnt = canonicalPath(dir)
        var opts = [readOnly ? "ro" : "rw+"]
        if let fsname { opts.append("fsname=\(fsname)") }
        if let subtype { opts.append("subtype=\(subtype)") }
        let exe = try resolveExecutable("fusefat")
        try spawnDaemon(exe, ["-o", opts.joined(separator: ","), img, mnt])
        let entry = try waitForMount(at: mnt, timeout: timeout)
        let pid = try findDaemonPID(mountPoint: mnt, nameContains: "fusefat", timeout: timeout)
        return FuseMount(image: URL(fileURLWithPath: img), mountPoint: URL(fileURLWithPath: mnt, isDirectory: true),
                         pid: pid, entry: entry, loopDevice: nil)
    }

    /// exFAT: `losetup -f --show [-r] IMG` then `mount.exfat-fuse -o ro /dev/loopN DIR`
    /// (exfat-fuse refuses plain files: "Block device required"). Shows as `fuseblk`.
    public static func mountExFAT(
        image: URL,
        at dir: URL,
        readOnly: Bool = true,
        timeout: TimeInterval = 10
    ) throws -> FuseMount {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let img = canonicalPath(image)
        let mnt = canonicalPath(dir)
        let loop = try runCheckedString("losetup", (readOnly ? ["-r"] : []) + ["-f", "--show", img])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let exe = try resolveExecutable("mount.exfat-fuse")
            try spawnDaemon(exe, ["-o", readOnly ? "ro" : "rw", loop, mnt])
            let entry = try waitForMount(at: mnt, timeout: timeout)
            let pid = try findDaemonPID(mountPoint: mnt, nameContains: "exfat", timeout: timeout)
            return FuseMount(image: URL(fileURLWithPath: img), mountPoint: URL(fileURLWithPath: mnt, isDirectory: true),
                             pid: pid, entry: entry, loopDevice: loop)
        } catch {
            unmountPath(mnt, isFuse: true)
            _ = try? run("losetup", ["-d", loop])
            throw error
        }
    }

    // MARK: unmounting

    /// Clean unmount: `fusermount -u DIR` (fallback `umount -l DIR`), wait for the
    /// daemon to exit (so a rw image is fully written), detach the loop device.
    /// Also works after `yank(lazyUnmount: false)`. No-op if already unmounted.
    public func unmount(timeout: TimeInterval = 10) throws {
        if isMounted {
            var ok = false
            for tool in ["fusermount", "fusermount3"] {
                guard let exe = findExecutable(tool) else { continue }
                if (try run(exe, ["-u", mountPoint.path])).status == 0 { ok = true; break }
            }
            if !ok { try runChecked("umount", ["-l", mountPoint.path]) }
        }
        _ = waitUntil(timeout: timeout) { !processIsAlive(pid) }
        if processIsAlive(pid) {
            throw TestSupportError("FUSE daemon \(pid) still alive \(timeout)s after unmounting \(mountPoint.path)")
        }
        detachLoop()
        if isMounted { throw TestSupportError("\(mountPoint.path) still mounted after unmount") }
    }

    /// Simulates pulling the stick: SIGKILL the FUSE daemon (pending and later
    /// accesses fail with ENOTCONN), then — unless `lazyUnmount` is false —
    /// `umount -l DIR`, like the desktop/udev layer reacting to the removal.
    /// With `lazyUnmount: false` the dead mount stays (every access → ENOTCONN)
    /// until `unmount()` or `TempDir.cleanup()`.
    public func yank(lazyUnmount: Bool = true, timeout: TimeInterval = 10) throws {
        if kill(pid, SIGKILL) != 0 && errno != ESRCH {
            throw TestSupportError("kill(\(pid), SIGKILL) failed: errno \(errno)")
        }
        guard waitUntil(timeout: timeout, { !processIsAlive(pid) }) else {
            throw TestSupportError("FUSE daemon \(pid) survived SIGKILL")
        }
        if lazyUnmount {
            if isMounted { try runChecked("umount", ["-l", mountPoint.path]) }
            detachLoop()
        }
    }

    private func detachLoop() {
        if let loopDevice { _ = try? run("losetup", ["-d", loopDevice]) }
    }
}

// MARK: - helpers

/// Polls until the path shows up in /proc/self/mountinfo as a FUSE mount.
@discardableResult
public func waitForMount(at path: String, timeout: TimeInterval = 10) throws -> MountEntry {
    var found: MountEntry?
    _ = waitUntil(timeout: timeout) {
        found = MountTable.entry(at: URL(fileURLWithPath: path))
        return found?.isFuse == true
    }
    guard let found, found.isFuse else {
        throw TestSupportError("\(path) did not appear as a FUSE mount in /proc/self/mountinfo within \(timeout)s")
    }
    return found
}

/// Finds the pid of the FUSE daemon whose command line has `mountPoint` as an argument.
public func findDaemonPID(mountPoint: String, nameContains: String, timeout: TimeInterval = 5) throws -> Int32 {
    var pid: Int32?
    _ = waitUntil(timeout: timeout) {
        pid = processes(withArgument: mountPoint).first { p in
            p.argv.first.map { ($0 as NSString).lastPathComponent.contains(nameContains) } ?? false
        }?.pid
        return pid != nil
    }
    guard let pid else { throw TestSupportError("no \(nameContains) process found for \(mountPoint)") }
    return pid
}

/// Live (non-zombie) processes having `argument` as one of their argv entries (from /proc/*/cmdline).
public func processes(withArgument argument: String) -> [(pid: Int32, argv: [String])] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var result: [(pid: Int32, argv: [String])] = []
    for name in names {
        guard let pid = Int32(name), processIsAlive(pid),
              let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !data.isEmpty
        else { continue }
        let argv = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if argv.contains(argument) { result.append((pid, argv)) }
    }
    return result.sorted { $0.pid < $1.pid }
}

/// True if /proc/PID exists and the process is not a zombie. (Daemons are
/// re-parented to PID 1, which may not reap them promptly.)
public func processIsAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    // Format: "pid (comm) S ..." — comm may contain spaces/parens; the state follows the last ')'.
    guard let close = stat.lastIndex(of: ")") else { return false }
    let rest = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces)
    guard let state = rest.first else { return false }
    return state != "Z" && state != "X"
}

/// Polls `condition` every 50 ms until true or `timeout` elapses. Returns the last result.
@discardableResult
public func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if condition() { return true }
        if Date() >= deadline { return false }
        usleep(50_000)
    }
}
