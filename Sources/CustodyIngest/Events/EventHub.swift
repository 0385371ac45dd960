import CustodyCore
import Foundation
import Synchronization

/// Something that happened, for `custodyctl watch` and other listeners of `GET /v1/events`.
public struct CustodyEvent: Sendable {
    /// `hello` marks the end of the snapshot a new listener gets first.
    /// `scanning` / `scanned` bracket the scan of a medium before its dump is listed.
    public enum Kind: String, Sendable { case hello, progress, dump, alarm, alert, scanning, scanned, missed, job }
    public var kind: Kind
    public var at: Date
    public var progress: DumpProgress?
    public var message: String?
    /// Structured body for `alert` and `job` events (the API's JSON of the alert).
    public var payload: Data?
    public init(kind: Kind, at: Date, progress: DumpProgress? = nil, message: String? = nil) {
        self.kind = kind; self.at = at; self.progress = progress; self.message = message
    }
}

/// Fans events out to every current listener. Each listener has a bounded buffer
/// (`capacity` events); one that falls that far behind is dropped at once, never buffered without
/// limit (availability issue, item 3: 40 listeners that never read grew the daemon to 496 MB).
/// Its stream ends, `fellBehind` says why, and it may connect again. Ingest never waits for a
/// listener.
public final class EventHub: Sendable {
    private let listeners = Mutex<[UUID: EventSubscription]>([:])
    private let droppedCount = Atomic<Int>(0)

    public init() {}

    public func subscribe(capacity: Int = 256) -> EventSubscription {
        let (stream, continuation) = AsyncStream.makeStream(of: CustodyEvent.self, bufferingPolicy: .bufferingOldest(max(1, capacity)))
        let id = UUID()
        let subscription = EventSubscription(stream: stream, continuation: continuation)
        listeners.withLock { $0[id] = subscription }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.removeValue(forKey: id) }
        }
        return subscription
    }

    public func publish(_ event: CustodyEvent) {
        let targets = listeners.withLock { $0 }
        for (id, target) in targets {
            guard case .dropped = target.continuation.yield(event) else { continue }
            listeners.withLock { _ = $0.removeValue(forKey: id) }
            droppedCount.add(1, ordering: .relaxed)
            target.cutOff()
        }
    }

    /// Ends every stream (daemon shutdown).
    public func finishAll() {
        let targets = listeners.withLock { Array($0.values) }
        for target in targets { target.continuation.finish() }
    }

    public var listenerCount: Int { listeners.withLock { $0.count } }
    /// Listeners dropped since the start because they fell behind.
    public var droppedListeners: Int { droppedCount.load(ordering: .relaxed) }
}

/// One listener's events: what was buffered before it fell behind, then the end of the stream.
public final class EventSubscription: AsyncSequence, Sendable {
    public typealias Element = CustodyEvent
    let stream: AsyncStream<CustodyEvent>
    let continuation: AsyncStream<CustodyEvent>.Continuation
    /// Whether the listener was dropped, and what to run when it is.
    private let state = Mutex<(dropped: Bool, hook: (@Sendable () -> Void)?)>((false, nil))

    init(stream: AsyncStream<CustodyEvent>, continuation: AsyncStream<CustodyEvent>.Continuation) {
        self.stream = stream; self.continuation = continuation
    }

    public func makeAsyncIterator() -> AsyncStream<CustodyEvent>.Iterator { stream.makeAsyncIterator() }

    /// The listener fell behind and was dropped: events after its buffer were not kept for it.
    public var fellBehind: Bool { state.withLock { $0.dropped } }

    /// Runs `body` once the listener is dropped (at once if it already was): the server closes a
    /// connection that does not take its last line either.
    public func whenCutOff(_ body: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if !s.dropped { s.hook = body }
            return s.dropped
        }
        if now { body() }
    }

    func cutOff() {
        let hook = state.withLock { s -> (@Sendable () -> Void)? in
            s.dropped = true
            defer { s.hook = nil }
            return s.hook
        }
        continuation.finish()
        hook?()
    }
}
