import CustodyCore
import Foundation
import Synchronization

/// Something that happened, for `custodyctl watch` and other listeners of `GET /v1/events`.
public struct CustodyEvent: Sendable {
    /// `hello` marks the end of the snapshot a new listener gets first.
    /// `scanning` / `scanned` bracket the scan of a medium before its dump is listed.
    public enum Kind: String, Sendable { case hello, progress, dump, alarm, alert, scanning, scanned }
    public var kind: Kind
    public var at: Date
    public var progress: DumpProgress?
    public var message: String?
    /// Structured body for `alert` events (the API's JSON of the alert).
    public var payload: Data?
    public init(kind: Kind, at: Date, progress: DumpProgress? = nil, message: String? = nil) {
        self.kind = kind; self.at = at; self.progress = progress; self.message = message
    }
}

/// Fans events out to every current listener. Slow listeners lose old progress events (each
/// buffer keeps the newest 256), never block ingest.
public final class EventHub: Sendable {
    private let listeners = Mutex<[UUID: AsyncStream<CustodyEvent>.Continuation]>([:])

    public init() {}

    public func subscribe() -> AsyncStream<CustodyEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: CustodyEvent.self, bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        listeners.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    public func publish(_ event: CustodyEvent) {
        let targets = listeners.withLock { Array($0.values) }
        for target in targets { target.yield(event) }
    }

    /// Ends every stream (daemon shutdown).
    public func finishAll() {
        let targets = listeners.withLock { Array($0.values) }
        for target in targets { target.finish() }
    }

    public var listenerCount: Int { listeners.withLock { $0.count } }
}
