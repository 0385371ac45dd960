import Foundation
import Glibc
import Synchronization

/// Reports the mount table whenever it changes.
///
/// The kernel marks `/proc/self/mountinfo` with POLLPRI/POLLERR on every mount or unmount, so a
/// blocking `poll` wakes within milliseconds and costs nothing in between (no busy polling).
/// The poll runs on its own thread: the cooperative pool has only as many threads as cores.
public struct MountWatcher: Sendable {
    public let path: String

    public init(path: String = MountTable.path) { self.path = path }

    /// The current table first, then a new table after every change, until the stream is dropped.
    public func tables() -> AsyncStream<[MountEntry]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [MountEntry].self, bufferingPolicy: .bufferingNewest(1))
        let stop = StopFlag()
        continuation.onTermination = { _ in stop.set() }
        let path = self.path
        let thread = Thread {
            continuation.yield(MountTable.read(from: path))
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                continuation.finish()
                return
            }
            defer { close(fd) }
            var pfd = pollfd(fd: fd, events: Int16(POLLPRI | POLLERR), revents: 0)
            // Drain the initial state so the first poll waits for a real change.
            var scratch = [UInt8](repeating: 0, count: 65536)
            while read(fd, &scratch, scratch.count) > 0 {}
            while !stop.isSet {
                pfd.revents = 0
                let ready = poll(&pfd, 1, 500)
                if ready > 0 {
                    lseek(fd, 0, SEEK_SET)
                    while read(fd, &scratch, scratch.count) > 0 {}
                    continuation.yield(MountTable.read(from: path))
                }
            }
            continuation.finish()
        }
        thread.name = "custody-mountinfo"
        thread.start()
        return stream
    }
}

/// A one-way flag shared between an async context and a blocking thread.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
