import Foundation
import Glibc
import Logging

/// Watches drop folders that docking hardware copies camera files into (DESIGN.md data flow
/// step 1). Each immediate subfolder of a drop folder is one medium (one camera's copy); it is
/// handed to ingest only when every file written into it was closed after writing and the
/// folder stayed quiet for the settle time.
///
/// Uses the kernel's inotify API directly through Glibc on one dedicated thread: it needs no
/// global library state (libinotifytools keeps some) and re-adding watches for folders created
/// later is a few lines here.
struct DropFolderWatcher: Sendable {
    let folders: [String]
    let settleSeconds: Double
    let logger: Logger

    func readyMedia() -> AsyncStream<Medium> {
        let (stream, continuation) = AsyncStream.makeStream(of: Medium.self)
        guard !folders.isEmpty else {
            continuation.finish()
            return stream
        }
        let stop = StopFlag()
        continuation.onTermination = { _ in stop.set() }
        let watcher = self
        let thread = Thread {
            var state = DropState(folders: watcher.folders, settle: watcher.settleSeconds)
            state.loop(stop: stop, logger: watcher.logger) { continuation.yield($0) }
            continuation.finish()
        }
        thread.name = "custody-inotify"
        thread.start()
        return stream
    }
}

/// The watcher's bookkeeping, owned by its thread alone.
private struct DropState {
    let folders: [String]
    let settle: Double
    var fd: Int32 = -1
    var watches: [Int32: String] = [:]
    var lastEvent: [String: Date] = [:]
    var writing: [String: Set<String>] = [:]

    init(folders: [String], settle: Double) {
        self.folders = folders
        self.settle = settle
    }

    mutating func loop(stop: StopFlag, logger: Logger, emit: (Medium) -> Void) {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else {
            logger.error("inotify unavailable; drop folders are not watched", metadata: ["errno": "\(errno)"])
            return
        }
        defer { close(fd) }
        for folder in folders {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            addTree(folder)
            for child in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                let path = folder + "/" + child
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                    lastEvent[path] = Date()
                } else {
                    logger.warning("file directly in a drop folder is not ingested; docking software must copy each camera into its own folder",
                                   metadata: ["path": "\(path)"])
                }
            }
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stop.isSet {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 250) > 0 {
                let n = read(fd, &buffer, buffer.count)
                if n > 0 { handle(buffer[0..<n]) }
            }
            let now = Date()
            for (medium, last) in lastEvent where now.timeIntervalSince(last) >= settle && (writing[medium] ?? []).isEmpty {
                lastEvent.removeValue(forKey: medium)
                emit(Medium(kind: .drop, root: medium, source: "drop-folder", fsType: "drop", key: "drop:" + medium))
            }
        }
    }

    private mutating func addTree(_ path: String) {
        let mask = UInt32(IN_CREATE | IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)
        let wd = inotify_add_watch(fd, path, mask)
        if wd >= 0 { watches[wd] = path }
        for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            var isDir: ObjCBool = false
            let full = path + "/" + child
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue { addTree(full) }
        }
    }

    /// The medium a path belongs to: the drop folder's immediate subfolder that contains it.
    private func medium(of path: String) -> String? {
        for folder in folders where path.hasPrefix(folder + "/") {
            let rest = path.dropFirst(folder.count + 1)
            guard let first = rest.split(separator: "/").first else { return nil }
            return folder + "/" + first
        }
        return nil
    }

    private mutating func handle(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        let headerSize = MemoryLayout<inotify_event>.size
        while offset + headerSize <= bytes.endIndex {
            let (wd, mask, length) = bytes[offset..<offset + headerSize].withUnsafeBytes { raw in
                (raw.loadUnaligned(fromByteOffset: 0, as: Int32.self),
                 raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self),
                 Int(raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
            }
            let nameBytes = bytes[(offset + headerSize)..<min(bytes.endIndex, offset + headerSize + length)].prefix { $0 != 0 }
            offset += headerSize + length
            guard let dir = watches[wd] else { continue }
            let path = nameBytes.isEmpty ? dir : dir + "/" + String(decoding: nameBytes, as: UTF8.self)
            if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { addTree(path) }
            guard let medium = medium(of: path) else { continue }
            lastEvent[medium] = Date()
            if mask & UInt32(IN_ISDIR) == 0 {
                if mask & UInt32(IN_CREATE | IN_MODIFY) != 0 { writing[medium, default: []].insert(path) }
                if mask & UInt32(IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM) != 0 { writing[medium]?.remove(path) }
            }
        }
    }
}
