import Dispatch
import Foundation
import Synchronization

/// Runs `body` over `count` items on up to `width` threads (blocking I/O, so not the cooperative
/// pool), at most `lookahead` items ahead of the consumer, and hands the results back in item
/// order. The ingest thread stages small files through it: several photos are read from the
/// camera at once, yet they reach the group commit in the medium's order, each as soon as it
/// and every one before it are staged.
final class OrderedPipeline<R: Sendable>: Sendable {
    private let count: Int, lookahead: Int
    private let body: @Sendable (Int) -> R
    /// Permits to claim an item: `lookahead` at the start, one more per item taken by `next`.
    private let space: DispatchSemaphore
    /// Signalled when the item in slot `i % lookahead` is done.
    private let ready: [DispatchSemaphore]
    private let state: Mutex<State>
    private let workers = DispatchGroup()

    private struct State {
        var claimed = 0, taken = 0, stopped = false
        var slots: [R?]
    }

    init(count: Int, width: Int, lookahead: Int, body: @escaping @Sendable (Int) -> R) {
        self.count = count
        self.lookahead = max(lookahead, width, 1)
        self.body = body
        // Created at 0 and then signalled: libdispatch traps when a semaphore is freed below its
        // initial value, which a cancelled pipeline's would be.
        space = DispatchSemaphore(value: 0)
        for _ in 0..<self.lookahead { space.signal() }
        ready = (0..<self.lookahead).map { _ in DispatchSemaphore(value: 0) }
        state = Mutex(State(slots: Array(repeating: nil, count: self.lookahead)))
        for _ in 0..<min(max(1, width), count) {
            workers.enter()
            IngestPriority.startThread(.stage) { [self] in
                work()
                workers.leave()
            }
        }
    }

    /// An item is claimed only with a permit, so at most `lookahead` are claimed and not yet taken,
    /// and slot `i % lookahead` is free when item i is claimed (item i - lookahead was taken).
    private func work() {
        while true {
            space.wait()
            let index: Int? = state.withLock { s in
                guard !s.stopped, s.claimed < count else { return nil }
                defer { s.claimed += 1 }
                return s.claimed
            }
            guard let index else {
                space.signal()  // passed on, so every waiting worker wakes and ends too
                return
            }
            let result = body(index)
            state.withLock { $0.slots[index % lookahead] = result }
            ready[index % lookahead].signal()
        }
    }

    /// The next item's result, waiting for it; nil after the last one (or after `cancel`).
    func next() -> R? {
        let index: Int? = state.withLock { s in s.stopped || s.taken >= count ? nil : s.taken }
        guard let index else { return nil }
        ready[index % lookahead].wait()
        let result = state.withLock { s -> R in
            defer {
                s.slots[index % lookahead] = nil
                s.taken += 1
            }
            return s.slots[index % lookahead]!
        }
        space.signal()
        return result
    }

    /// Stops claiming items, waits for the workers to end, and returns the results done but not
    /// taken (the caller releases what they hold). Idempotent.
    func cancel() -> [R] {
        state.withLock { $0.stopped = true }
        space.signal()
        workers.wait()
        return state.withLock { s in
            defer {
                s.slots = Array(repeating: nil, count: lookahead)
                s.taken = s.claimed
            }
            return (s.taken..<s.claimed).compactMap { s.slots[$0 % lookahead] }
        }
    }
}
