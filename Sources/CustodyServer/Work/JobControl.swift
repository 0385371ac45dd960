import Foundation
import Synchronization

/// What a background job's work sees: where to report progress, and whether someone cancelled
/// it. The work runs on a thread of its own and polls this between units (a clip, a row).
public final class JobControl: Sendable {
    /// Thrown from `progress` or `checkCancelled` once the job is cancelled.
    struct Cancelled: Error { let by: String }

    private let state = Mutex<(done: Int, total: Int, cancelledBy: String?)>((0, 0, nil))
    private let hook = Mutex<(@Sendable () -> Void)?>(nil)

    /// Reports `done` of `total` units; throws if the job was cancelled meanwhile.
    public func progress(_ done: Int, of total: Int) throws {
        let cancelled = state.withLock { s -> String? in
            s.done = done; s.total = total
            return s.cancelledBy
        }
        if let cancelled { throw Cancelled(by: cancelled) }
        hook.withLock { $0 }?()
    }

    /// Throws if the job was cancelled (work that cannot count its units checks between steps).
    public func checkCancelled() throws {
        if let by = state.withLock({ $0.cancelledBy }) { throw Cancelled(by: by) }
    }

    func cancel(by who: String) { state.withLock { if $0.cancelledBy == nil { $0.cancelledBy = who } } }
    func observe(_ body: (@Sendable () -> Void)?) { hook.withLock { $0 = body } }
    var snapshot: (done: Int, total: Int, cancelledBy: String?) { state.withLock { $0 } }
}
