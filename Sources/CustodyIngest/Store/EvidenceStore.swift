import CCustodyLinux
import CustodyCore
import Foundation
import Glibc

/// The write-once, content-addressed evidence store: `sha256/ab/cd/<hash>`, mode 0444.
///
/// This is the one type the rest of the daemon uses to reach stored bytes (DESIGN.md, "Seams"):
/// put verified bytes, open for reading, stat, list, remove under disposal. A second
/// implementation (object storage with Object Lock) can satisfy the same surface.
public struct EvidenceStore: Sendable {
    public let root: String
    var tempDirectory: String { root + "/tmp" }
    var objectsDirectory: String { root + "/sha256" }
    /// Whether `syncfs(2)` on the store makes everything written to it durable (data, inodes,
    /// directory entries): true on the local disk filesystems Linux syncs whole (ext2/3/4, XFS,
    /// Btrfs, F2FS). Elsewhere (FUSE, network filesystems, tmpfs) a batch is made durable file by
    /// file and folder by folder with fsync, as a single copy is.
    public let syncfsIsBarrier: Bool
    /// Joins barriers asked for at the same time by several cameras' committers.
    let barriers = StoreBarrier()

    public init(root: String) throws {
        self.root = root
        for dir in [root, root + "/tmp", root + "/sha256"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        // The store's own folders must survive a power cut too (their names live in the parents).
        try Self.fsyncDirectory(root)
        try Self.fsyncDirectory((root as NSString).deletingLastPathComponent)
        // A commit fsyncs `sha256/ab` only when it creates `ab/cd`. A folder created by a run that
        // was killed before that fsync must not stay at the mercy of a later power cut: make every
        // `sha256/ab` durable once at start (at most 256 folders).
        try Self.fsyncDirectory(root + "/sha256")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/sha256")) ?? [] where name.count == 2 {
            try Self.fsyncDirectory(root + "/sha256/" + name)
        }
        let type = custody_fs_type(root)
        syncfsIsBarrier = type >= 0 && Self.syncfsFilesystems.contains(UInt64(type))
    }

    /// statfs f_type of ext2/3/4, XFS, Btrfs, F2FS.
    static let syncfsFilesystems: Set<UInt64> = [0xEF53, 0x5846_5342, 0x9123_683E, 0xF2F5_2010]

    /// Makes everything written to the store so far durable with one `syncfs`, then an fsync of
    /// the store folder, whose cache flush also covers metadata blocks `syncfs` wrote after its
    /// own flush (ext4 without a journal). Only where `syncfsIsBarrier`. Committers asking at the
    /// same time share one (`StoreBarrier`).
    func barrier() throws {
        try barriers.run { try syncStore() }
    }

    private func syncStore() throws {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(what: "open \(root)", errno: errno) }
        defer { close(fd) }
        guard custody_syncfs(fd) == 0 else {
            if errno == ENOSPC || errno == EDQUOT { throw StoreError.noSpace(path: root) }
            throw StoreError.io(what: "syncfs \(root)", errno: errno)
        }
        guard fsync(fd) == 0 else { throw StoreError.io(what: "fsync directory \(root)", errno: errno) }
    }

    /// Makes the given folders' entries durable (a batch's renames, where syncfs is no barrier).
    func syncDirectories(_ directories: Set<String>) throws {
        for directory in directories.sorted() { try Self.fsyncDirectory(directory) }
    }

    /// Where the bytes with this hash live.
    public func path(for sha256: String) -> String {
        let a = sha256.prefix(2), b = sha256.dropFirst(2).prefix(2)
        return "\(objectsDirectory)/\(a)/\(b)/\(sha256)"
    }

    public func contains(_ sha256: String) -> Bool {
        var st = stat()
        return lstat(path(for: sha256), &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Size of a stored object, or nil when it is missing.
    public func size(of sha256: String) -> UInt64? {
        var st = stat()
        guard lstat(path(for: sha256), &st) == 0 else { return nil }
        return UInt64(st.st_size)
    }

    /// Free bytes available to the daemon on the store's filesystem.
    public func freeBytes() -> UInt64? {
        var vfs = statvfs()
        guard statvfs(root, &vfs) == 0 else { return nil }
        return UInt64(vfs.f_bavail) * UInt64(vfs.f_frsize)
    }

    /// A new, exclusive temp file for a copy in progress.
    func makeTempFile() throws -> (fd: Int32, path: String) {
        for _ in 0..<16 {
            let name = "\(tempDirectory)/ingest-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).part"
            let fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { return (fd, name) }
            if errno != EEXIST { throw StoreError.io(what: "create \(name)", errno: errno) }
        }
        throw StoreError.io(what: "create a temp file in \(tempDirectory)", errno: EEXIST)
    }

    /// Moves a verified temp file to its content address, read-only, and makes the rename durable.
    /// If the content is already stored the temp file is dropped: same bytes, one object.
    /// With `syncDirectories` false the folders to fsync are returned instead (a batch fsyncs
    /// each once, or issues one barrier), and the rename is durable only after that.
    @discardableResult
    func commit(tempPath: String, sha256: String, syncDirectories: Bool = true) throws -> Set<String> {
        let final = path(for: sha256)
        let dir = (final as NSString).deletingLastPathComponent
        let parent = (dir as NSString).deletingLastPathComponent
        var toSync: Set<String> = []
        var st = stat()
        if lstat(dir, &st) != 0 {
            let newParent = lstat(parent, &st) != 0
            for folder in newParent ? [parent, dir] : [dir] where mkdir(folder, 0o750) != 0 && errno != EEXIST {
                throw StoreError.io(what: "create \(folder)", errno: errno)
            }
            // A new `sha256/ab` is durable only once `sha256/` itself is fsynced (power-loss trials:
            // without it the whole `ab/` subtree vanished at a cut, with its acknowledged clips);
            // a new `ab/cd` once `ab/` is.
            if newParent { try Self.fsyncDirectory(objectsDirectory) }
            toSync.insert(parent)
        }
        if contains(sha256) {
            unlink(tempPath)
            if syncDirectories { try self.syncDirectories(toSync) }
            return syncDirectories ? [] : toSync
        }
        guard chmod(tempPath, 0o444) == 0 else { throw StoreError.io(what: "chmod \(tempPath)", errno: errno) }
        guard rename(tempPath, final) == 0 else { throw StoreError.io(what: "rename to \(final)", errno: errno) }
        toSync.insert(dir)
        if syncDirectories {
            try self.syncDirectories(toSync)
            return []
        }
        return toSync
    }

    /// Removes a stored object once its disposal was approved by two people and committed to the
    /// catalog (retention issue). The only caller is the disposal path and startup recovery
    /// finishing a disposal cut short; a missing file is fine (already removed).
    public func removeDisposed(_ sha256: String) throws {
        let file = path(for: sha256)
        if unlink(file) != 0 && errno != ENOENT { throw StoreError.io(what: "remove \(file)", errno: errno) }
        try Self.fsyncDirectory((file as NSString).deletingLastPathComponent)
    }

    /// Re-hashes a stored object (fixity scrub, fsck); nil when it is missing.
    public func rehash(_ sha256: String) throws -> (sha256: String, size: UInt64)? {
        guard contains(sha256) else { return nil }
        let (hash, size) = try StartupRecovery.hashFile(path(for: sha256))
        return (hash, size)
    }

    /// Temp files left by a crash (startup recovery removes them).
    public func leftoverTempFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tempDirectory)) ?? []).map { tempDirectory + "/" + $0 }
    }

    /// Every stored object's hash (directory walk; the fixity scrub and recovery use it).
    ///
    /// With `readdir` and the entry types it reports, not `FileManager`'s enumerator, which
    /// stats every entry: a million objects are then a matter of the directory reads alone.
    public func storedHashes() -> [String] {
        var hashes: [String] = []
        Self.walk(objectsDirectory, depth: 0) { name in
            if name.utf8.count == 64, name.allSatisfy(\.isHexDigit) { hashes.append(name) }
        }
        return hashes
    }

    /// Calls `found` with the name of every entry below `path` that is not a directory.
    static func walk(_ path: String, depth: Int, _ found: (String) -> Void) {
        guard depth < 16, let dir = opendir(path) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != ".." else { continue }
            var isDirectory = Int32(entry.pointee.d_type) == DT_DIR
            if Int32(entry.pointee.d_type) == DT_UNKNOWN {
                var info = stat()
                isDirectory = lstat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isDirectory { walk(path + "/" + name, depth: depth + 1, found) } else { found(name) }
        }
    }

    static func fsyncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(what: "open directory \(path)", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError.io(what: "fsync directory \(path)", errno: errno) }
    }
}

/// Store failures, phrased so an administrator knows what to do.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case io(what: String, errno: Int32)
    case noSpace(path: String)
    case verificationFailed(expected: String, got: String)

    public var isVerificationFailure: Bool {
        if case .verificationFailed = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .io(let what, let code):
            return "\(what) failed: \(String(cString: strerror(code)))"
        case .noSpace(let path):
            return "store disk is full while writing \(path); free space on the store disk, ingest resumes by itself"
        case .verificationFailed(let expected, let got):
            return "read-back of the stored copy did not match (copied \(expected), read back \(got)); the disk under the store may be failing"
        }
    }
}
