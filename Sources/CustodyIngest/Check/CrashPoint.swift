import Foundation
import Glibc
import Synchronization

/// Crash injection for the crash harness (reliability issue, item 1), debug builds only:
/// `CUSTODY_CRASH_AT=<point>` with `CUSTODY_CRASH_AFTER=<n>` makes the daemon SIGKILL itself the
/// n-th time it reaches that point, so every window between two durable steps is tested, not
/// only the ones a random `kill -9` happens to land in. Release builds compile this to nothing.
enum CrashPoint: String {
    case afterTempWrite = "after-temp-write"
    case afterFsync = "after-fsync"
    case afterRename = "after-rename"
    case afterCommit = "after-commit"

    #if DEBUG
    private static let target: (point: String, count: Int)? = {
        let env = ProcessInfo.processInfo.environment
        guard let point = env["CUSTODY_CRASH_AT"] else { return nil }
        return (point, Int(env["CUSTODY_CRASH_AFTER"] ?? "1") ?? 1)
    }()
    private static let hits = Counter()

    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }
    #endif

    func hit() {
        #if DEBUG
        guard let target = Self.target, target.point == rawValue else { return }
        if Self.hits.next() >= target.count { kill(getpid(), SIGKILL) }
        #endif
    }
}
