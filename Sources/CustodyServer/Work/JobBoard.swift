import CustodyAPI
import CustodyIngest
import Foundation
import Logging
import Synchronization

/// Long work of the admin API as background jobs (availability issue, item 4): fsck and audit
/// verification, reports (compliance, ledger) and CSV exports. One job of a kind runs at a time, on a thread of its own (never the cooperative
/// pool, which also answers `status` and the event stream); a request for the same work joins
/// the job already there and gets its answer, a request for other work of that kind waits its
/// turn. The requests themselves wait on a continuation, holding no thread. Progress is in
/// `status`, `GET /v1/jobs` and the event stream; `DELETE /v1/jobs/:job` cancels one. A viewer
/// asking for ten fsck runs at once gets one fsck, not ten threads re-reading the store.
public final class JobBoard: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case fsck, auditVerify = "audit-verify", report, export
    }

    /// Finished jobs kept for `GET /v1/jobs/:job` (their state, who cancelled them).
    static let keptFinished = 32

    private struct State {
        var nextID: Int64 = 0
        var queues: [Kind: [BackgroundJob]] = [:]
        var finished: [BackgroundJob] = []
    }
    private let state = Mutex(State())
    let events: EventHub
    let logger: Logger

    public init(events: EventHub, logger: Logger) { self.events = events; self.logger = logger }

    /// Runs `work` as a job of `kind` (or joins the unfinished job with the same `key`) and waits
    /// for its result without holding a thread.
    func run<T: Sendable>(_ kind: Kind, key: String, title: String, by requester: String,
                          _ work: @escaping @Sendable (JobControl) throws -> T) async throws -> T {
        let (job, startNow) = state.withLock { s -> (BackgroundJob, Bool) in
            if let existing = s.queues[kind]?.first(where: { $0.key == key && !$0.isFinished }) {
                existing.join(requester)
                return (existing, false)
            }
            s.nextID += 1
            let job = BackgroundJob(id: s.nextID, kind: kind, key: key, title: title, requester: requester) { try work($0) }
            s.queues[kind, default: []].append(job)
            return (job, s.queues[kind]?.count == 1)
        }
        publish(job)
        if startNow { launch(job) }
        switch await job.outcome() {
        case .success(let value):
            guard let value = value as? T else {
                throw APIRefusal(.internalServerError, "internal", "job \(job.id) answered with the wrong type")
            }
            return value
        case .failure(let error):
            throw error
        }
    }

    /// Jobs running or waiting, oldest first.
    public func items() -> [JobItem] {
        state.withLock { s in s.queues.values.flatMap { $0 }.sorted { $0.id < $1.id }.map(\.item) }
    }

    /// A job running, waiting or among the last finished.
    func item(id: Int64) -> JobItem? {
        state.withLock { s in (s.queues.values.flatMap { $0 } + s.finished).first { $0.id == id }?.item }
    }

    /// Cancels a job: a running one stops at its next progress step, a waiting one never starts.
    /// Its requesters get a refusal saying who cancelled it. Nil if no unfinished job has that id.
    func cancel(id: Int64, by who: String) -> JobItem? {
        let found = state.withLock { s -> (BackgroundJob, Bool)? in
            for (kind, queue) in s.queues {
                guard let index = queue.firstIndex(where: { $0.id == id && !$0.isFinished }) else { continue }
                let job = queue[index]
                let running = job.isRunning
                if !running {
                    s.queues[kind]?.remove(at: index)
                    Self.keep(job, in: &s)
                }
                return (job, running)
            }
            return nil
        }
        guard let (job, running) = found else { return nil }
        job.control.cancel(by: who)
        if !running { job.finish(.failure(Self.cancelled(job, by: who))) }
        logger.notice("job cancelled", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "by": "\(who)"])
        publish(job)
        return job.item
    }

    /// Whoever asked for job `id` (empty if there is no such job).
    func requesters(of id: Int64) -> [String] {
        state.withLock { s in (s.queues.values.flatMap { $0 } + s.finished).first { $0.id == id }?.requestedBy ?? [] }
    }

    private static func keep(_ job: BackgroundJob, in s: inout State) {
        s.finished.append(job)
        if s.finished.count > keptFinished { s.finished.removeFirst(s.finished.count - keptFinished) }
    }

    private func launch(_ job: BackgroundJob) {
        let thread = Thread { [self] in
            job.markStarted()
            logger.info("job started", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)"])
            publish(job)
            job.control.observe { [self] in publish(job, progress: true) }
            var result = Result { try job.work(job.control) as any Sendable }
            if case .failure(let error as JobControl.Cancelled) = result { result = .failure(Self.cancelled(job, by: error.by)) }
            job.control.observe(nil)
            job.finish(result)
            logger.info("job ended", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "state": "\(job.item.state)"])
            publish(job)
            let next = state.withLock { s -> BackgroundJob? in
                s.queues[job.kind]?.removeAll { $0 === job }
                Self.keep(job, in: &s)
                return s.queues[job.kind]?.first
            }
            if let next { launch(next) }
        }
        thread.name = "custody-job-\(job.kind.rawValue)"
        thread.start()
    }

    static func cancelled(_ job: BackgroundJob, by who: String) -> APIRefusal {
        APIRefusal(.conflict, "cancelled", "\(job.title) (job \(job.id)) was cancelled by \(who); run it again when needed",
                   zh: "\(Vocabulary.name(Vocabulary.jobKinds, job.kind.rawValue))（任务 \(job.id)）已被 \(who) 取消，需要时请重新运行")
    }

    /// A `job` event: on every change of state, and for progress at most twice a second.
    private func publish(_ job: BackgroundJob, progress: Bool = false) {
        guard !progress || job.progressEventDue() else { return }
        let item = job.item
        var event = CustodyEvent(kind: .job, at: Date(), message: "\(item.kind) \(item.state)")
        event.payload = try? APICoding.encoder().encode(item)
        events.publish(event)
    }
}
