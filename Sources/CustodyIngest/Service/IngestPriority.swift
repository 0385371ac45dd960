import CCustodyLinux
import Foundation

/// The ingest's threads yield the CPU to the daemon's server (issue 21, item 1: the API must
/// answer p99 < 50 ms while twelve cameras ingest on two cores). Every thread the ingest starts
/// (a dump's own, its staging workers, its read-back workers, a copy's hashing thread) lowers its
/// own priority to nice `IngestPriority.nice` before any work. The kernel's fair scheduler gives a
/// thread of nice 10 about a tenth of the CPU a thread of nice 0 gets when both want it, and all
/// of it when nothing else runs: an idle station ingests as fast as before, a busy one answers
/// its clerks first.
///
/// Only threads the ingest owns and that end with their work lower themselves: an unprivileged
/// daemon cannot raise a thread's priority back, so a pooled thread (Dispatch, the cooperative
/// pool, the server's event loops) is never touched, and the group commit's barrier and catalog
/// transaction, which run on Dispatch queues, keep the daemon's priority.
enum IngestPriority {
    /// The nice value of the ingest's threads (the daemon's own is 0 unless systemd sets another).
    static let nice: Int32 = 10

    /// The kinds of thread the ingest starts, by the name `top -H`, `ps -L` and /proc show
    /// (at most 15 bytes, the kernel's limit).
    enum ThreadKind: String, CaseIterable {
        /// A dump's own thread: scans the medium, takes the staged files in order, stages a large one.
        case dump = "custody-ingest"
        /// A staging worker: copies and hashes a file that fits in a group commit.
        case stage = "custody-stage"
        /// A read-back worker of the group commit.
        case verify = "custody-verify"
        /// A copy's second thread, hashing what the first reads.
        case hash = "custody-hash"
    }

    /// Starts a thread of the ingest: it names itself, lowers itself to `nice`, then runs `body`.
    /// Every thread the ingest starts goes through here (`IngestPriorityTests` checks each kind).
    static func startThread(_ kind: ThreadKind, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            // Foundation's `Thread.name` does not reach the kernel's name of the thread on Linux.
            _ = custody_set_thread_name(kind.rawValue)
            lowerThisThread()
            body()
        }
        thread.name = kind.rawValue
        thread.start()
    }

    /// Lowers the calling thread to `nice`; a thread already lower (a daemon started with a
    /// higher nice) stays where it is. Failure is harmless (the thread keeps its priority).
    static func lowerThisThread() {
        let current = custody_thread_nice()
        guard current != -100, current < nice else { return }
        _ = custody_set_thread_nice(nice)
    }

    /// The calling thread's nice value (tests), nil if it cannot be read.
    static func currentThreadNice() -> Int32? {
        let value = custody_thread_nice()
        return value == -100 ? nil : value
    }
}
