import Dispatch
import Synchronization

/// Joins the store barriers of cameras committing at the same time (issue 21, item 1).
///
/// `syncfs` makes everything written to the filesystem durable, not only the caller's batch: with
/// twelve cameras docked, twelve committers each ran their own (two per batch), one after the
/// other in the kernel, and each waited for what all the others had written. Here a barrier asked
/// for while one is running waits for it to end and then joins the next, which one of the waiting
/// committers runs for all of them. A caller is released only by a barrier that *began after* it
/// asked (its batch was written before it asked, so that barrier covers it), never by one already
/// under way, whose `syncfs` may have passed its files.
final class StoreBarrier: Sendable {
    private struct State {
        /// Tickets handed out; a ticket is taken after the caller's writes are done.
        var issued: UInt64 = 0
        /// Every ticket up to this one is durable.
        var covered: UInt64 = 0
        var running = false
        /// The barrier that failed, the tickets it was to cover, and why: each of them is told.
        var failure: (upTo: UInt64, error: any Error)?
        var waiting: [DispatchSemaphore] = []
        var ranCount: UInt64 = 0
    }

    private enum Step {
        case done
        case failed(any Error)
        case lead(upTo: UInt64)
        case wait(DispatchSemaphore)
    }

    private let state = Mutex(State())

    /// How many barriers `run` ran itself (for the tests and the bench).
    var barriersRun: UInt64 { state.withLock { $0.ranCount } }

    init() {}

    /// Returns once a run of `barrier` that began after this call has finished (run by this
    /// caller or by another one waiting at the same time); throws what that run threw.
    func run(_ barrier: () throws -> Void) throws {
        let ticket = state.withLock { s -> UInt64 in
            s.issued += 1
            return s.issued
        }
        while true {
            let step = state.withLock { s -> Step in
                if s.covered >= ticket { return .done }
                if let failure = s.failure, failure.upTo >= ticket { return .failed(failure.error) }
                if !s.running {
                    s.running = true
                    s.ranCount += 1
                    return .lead(upTo: s.issued)
                }
                let semaphore = DispatchSemaphore(value: 0)
                s.waiting.append(semaphore)
                return .wait(semaphore)
            }
            switch step {
            case .done:
                return
            case .failed(let error):
                throw error
            case .wait(let semaphore):
                semaphore.wait()
            case .lead(let upTo):
                var failure: (any Error)?
                do { try barrier() } catch { failure = error }
                let woken = state.withLock { s -> [DispatchSemaphore] in
                    s.running = false
                    if let failure { s.failure = (upTo, failure) } else { s.covered = max(s.covered, upTo) }
                    defer { s.waiting = [] }
                    return s.waiting
                }
                woken.forEach { $0.signal() }
                if let failure { throw failure }
                return
            }
        }
    }
}
