import CustodyAPI
import Foundation
import Synchronization

/// One job of the `JobBoard`: its work, who asked for it, and the requests waiting for its
/// answer. Waiting is a continuation, never a blocked thread.
final class BackgroundJob: Sendable {
    typealias Outcome = Result<any Sendable, any Error>
    let id: Int64
    let kind: JobBoard.Kind
    /// Requests with the same key join this job instead of starting another.
    let key: String
    let title: String
    let queuedAt = Date()
    let control = JobControl()
    let work: @Sendable (JobControl) throws -> any Sendable

    private struct State {
        var requestedBy: [String]
        var startedAt: Date?
        var outcome: Outcome?
        var waiters: [CheckedContinuation<Outcome, Never>] = []
        var lastProgressEvent = Date.distantPast
    }
    private let state: Mutex<State>

    init(id: Int64, kind: JobBoard.Kind, key: String, title: String, requester: String,
         work: @escaping @Sendable (JobControl) throws -> any Sendable) {
        self.id = id; self.kind = kind; self.key = key; self.title = title; self.work = work
        state = Mutex(State(requestedBy: [requester]))
    }

    var isFinished: Bool { state.withLock { $0.outcome != nil } }
    var isRunning: Bool { state.withLock { $0.startedAt != nil && $0.outcome == nil } }
    var requestedBy: [String] { state.withLock { $0.requestedBy } }

    func join(_ requester: String) {
        state.withLock { if !$0.requestedBy.contains(requester) { $0.requestedBy.append(requester) } }
    }

    func markStarted() { state.withLock { $0.startedAt = Date() } }

    /// Ends the job and answers every request waiting for it.
    func finish(_ outcome: Outcome) {
        let waiters = state.withLock { s -> [CheckedContinuation<Outcome, Never>] in
            guard s.outcome == nil else { return [] }
            s.outcome = outcome
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    /// The job's result, once it has one.
    func outcome() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Outcome? in
                if s.outcome == nil { s.waiters.append(continuation) }
                return s.outcome
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Whether a progress event may go out now (at most two a second per job).
    func progressEventDue() -> Bool {
        state.withLock { s in
            guard Date().timeIntervalSince(s.lastProgressEvent) >= 0.5 else { return false }
            s.lastProgressEvent = Date()
            return true
        }
    }

    var item: JobItem {
        let progress = control.snapshot
        return state.withLock { s in
            let phase: String
            switch s.outcome {
            case .none: phase = s.startedAt == nil ? "queued" : "running"
            case .success: phase = "done"
            case .failure: phase = progress.cancelledBy == nil ? "failed" : "cancelled"
            }
            return JobItem(id: id, kind: kind.rawValue, title: title, state: phase, requestedBy: s.requestedBy, queuedAt: queuedAt,
                           startedAt: s.startedAt, done: progress.done, total: progress.total, cancelledBy: progress.cancelledBy)
        }
    }
}
