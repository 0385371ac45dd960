import Foundation
import Glibc
import Synchronization

/// Reports the mount table whenever it changes, and says when it cannot be read.
///
/// The kernel marks `/proc/self/mountinfo` with POLLPRI/POLLERR on every mount or unmount, so a
/// blocking `poll` wakes within milliseconds and costs nothing in between (no busy polling).
/// The poll runs on its own thread: the cooperative pool has only as many threads as cores.
///
/// A read that fails (EMFILE when descriptors run out, an I/O error) is never taken for "no
/// mounts" (availability issue, item 2: a camera still docked was reported removed, and one
/// docked meanwhile was never ingested): the watcher reports `.unreadable`, and retries every
/// `retryInterval` until a read succeeds; that table then carries whatever was mounted meanwhile.
public struct MountWatcher: Sendable {
    /// What one look at the mount table found.
    public enum Reading: Sendable, Equatable {
        case table([MountEntry])
        /// The table could not be read; the reason names the error.
        case unreadable(String)
    }

    public let path: String
    public let retryInterval: Duration

    /// `path`: the kernel's table; `CUSTODY_MOUNTINFO` names another file in place of it
    /// (the end-to-end tests make its read fail).
    public init(path: String = ProcessInfo.processInfo.environment["CUSTODY_MOUNTINFO"] ?? MountTable.path,
                retryInterval: Duration = .seconds(1)) {
        self.path = path; self.retryInterval = retryInterval
    }

    /// The current table first, then a new reading after every change (and every retry while
    /// the table is unreadable), until the stream is dropped.
    public func readings() -> AsyncStream<Reading> {
        let (stream, continuation) = AsyncStream.makeStream(of: Reading.self, bufferingPolicy: .bufferingNewest(1))
        let stop = StopFlag()
        continuation.onTermination = { _ in stop.set() }
        let (path, retryMilliseconds) = (self.path, Int32(retryInterval.components.seconds * 1000
                                                           + retryInterval.components.attoseconds / 1_000_000_000_000_000))
        let thread = Thread {
            var failing = false
            func look() {
                let reading = Self.readTable(path)
                if case .unreadable = reading { failing = true } else { failing = false }
                continuation.yield(reading)
            }
            // The descriptor only wakes the poll; every table is read afresh from `path`.
            var fd: Int32 = -1
            defer { if fd >= 0 { close(fd) } }
            var scratch = [UInt8](repeating: 0, count: 65536)
            look()
            while !stop.isSet {
                if fd < 0 {
                    fd = open(path, O_RDONLY | O_CLOEXEC)
                    // Drain the current state so the next poll waits for a real change.
                    if fd >= 0 { while read(fd, &scratch, scratch.count) > 0 {} }
                }
                var ready: Int32 = 0
                if fd >= 0 {
                    var pfd = pollfd(fd: fd, events: Int16(POLLPRI | POLLERR), revents: 0)
                    ready = poll(&pfd, 1, failing ? retryMilliseconds : 500)
                    if ready > 0 {
                        lseek(fd, 0, SEEK_SET)
                        while read(fd, &scratch, scratch.count) > 0 {}
                    }
                } else {
                    usleep(UInt32(max(1, retryMilliseconds)) * 1000)
                }
                if stop.isSet { break }
                if ready > 0 || failing { look() }
            }
            continuation.finish()
        }
        thread.name = "custody-mountinfo"
        thread.start()
        return stream
    }

    /// One read of the table at `path`, or why it failed (by the kernel's error: EMFILE, EIO, ...).
    static func readTable(_ path: String) -> Reading {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable("\(path): \(String(cString: strerror(errno)))")
            }
            bytes += chunk[0..<n]
        }
        return .table(MountTable.parse(String(decoding: bytes, as: UTF8.self)))
    }
}

/// A one-way flag shared between an async context and a blocking thread.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
