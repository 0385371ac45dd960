import CustodyCore
import Foundation
import Synchronization

/// Live progress of one dump, for `dumps list` and `status`.
public struct DumpProgress: Sendable, Equatable {
    public var dumpID: Int64
    public var mountPoint: String
    public var state: Dump.State
    public var filesTotal: Int64 = 0
    public var bytesTotal: Int64 = 0
    public var filesDone: Int64 = 0
    public var bytesDone: Int64 = 0
    public var errors: Int64 = 0
    public var startedAt: Date
    public var currentFile: String?
    public var message: String?
    /// When the source last delivered data (or the dump last moved on): the stall watch's clock.
    public var lastActivityAt = Date()
    /// Bytes read of files not yet counted in `bytesDone` (a large file being copied or hashed),
    /// so progress moves within a file (attribution issue, item 8).
    public var partialBytes: Int64 = 0
    /// When a progress event was last published while a file was being read.
    var lastPublishedAt = Date.distantPast

    /// Bytes done, the file being read included; never more than the dump's bytes (a file read
    /// again, after the store disk was full, counts once).
    public var bytesMoved: Int64 { min(bytesDone + partialBytes, max(bytesTotal, bytesDone)) }

    /// Bytes per second since the dump started.
    public var bytesPerSecond: Double {
        let elapsed = Date().timeIntervalSince(startedAt)
        return elapsed > 0 ? Double(bytesMoved) / elapsed : 0
    }
}

/// Shared, lock-protected view of what the ingest workers are doing. Workers run on their own
/// threads (copying blocks); the API reads snapshots from the event loop.
public final class IngestMonitor: Sendable {
    private struct State {
        var active: [Int64: DumpProgress] = [:]
        /// Media being scanned before their dump starts (a large camera takes a while).
        var scanning: Set<String> = []
        var pausedReason: String?
        var alarms: [String] = []
        var clipsIngested: Int64 = 0
        var bytesIngested: Int64 = 0
    }
    private let state = Mutex(State())
    /// Live events for `GET /v1/events`.
    public let events = EventHub()
    /// Prometheus counters of the ingest path.
    public let metrics = IngestMetrics()

    public init() {}

    /// Changes a dump's progress. The worker hands in whole snapshots of its own count, which
    /// knows nothing of the bytes read ahead of it (`partialBytes`, kept here): bytes it now counts
    /// as done leave `partialBytes`, the rest stay, so `bytesMoved` never goes back when a batch
    /// commits while the next one is being read (USB cameras bench, issue 21).
    public func update(_ dumpID: Int64, _ change: (inout DumpProgress) -> Void) {
        let snapshot = state.withLock { s -> DumpProgress? in
            guard var progress = s.active[dumpID] else { return nil }
            let published = progress.lastPublishedAt
            let partial = progress.partialBytes, counted = progress.bytesDone
            change(&progress)
            progress.partialBytes = max(0, partial - max(0, progress.bytesDone - counted))
            progress.lastActivityAt = Date()
            progress.lastPublishedAt = published
            s.active[dumpID] = progress
            return progress
        }
        if let snapshot { events.publish(CustodyEvent(kind: .progress, at: Date(), progress: snapshot)) }
    }

    /// Notes that the source of a dump delivered data, without publishing an event.
    public func touch(_ dumpID: Int64) {
        state.withLock { $0.active[dumpID]?.lastActivityAt = Date() }
    }

    /// Notes `bytes` more read of a file not yet done, publishing progress at most once a second:
    /// bytes, rate and ETA move within a large file, also while a resumed dump re-hashes. A read
    /// that is abandoned and done again (a file that changed while read, a hash in place that
    /// finds new bytes to copy) takes its bytes back with a negative count.
    public func advance(_ dumpID: Int64, by bytes: Int) {
        let now = Date()
        let snapshot = state.withLock { s -> DumpProgress? in
            guard var progress = s.active[dumpID] else { return nil }
            progress.partialBytes = max(0, progress.partialBytes + Int64(bytes))
            progress.lastActivityAt = now
            let due = now.timeIntervalSince(progress.lastPublishedAt) >= 1
            if due { progress.lastPublishedAt = now }
            s.active[dumpID] = progress
            return due ? progress : nil
        }
        if let snapshot { events.publish(CustodyEvent(kind: .progress, at: now, progress: snapshot)) }
    }

    public func begin(_ progress: DumpProgress) {
        state.withLock { $0.active[progress.dumpID] = progress }
        events.publish(CustodyEvent(kind: .dump, at: Date(), progress: progress, message: "started"))
    }

    /// The dump left the active set; `outcome` says how (complete, interrupted …).
    public func end(_ dumpID: Int64, outcome: String) {
        let last = state.withLock { $0.active.removeValue(forKey: dumpID) }
        events.publish(CustodyEvent(kind: .dump, at: Date(), progress: last, message: outcome))
    }
    public func scanning(_ root: String, _ on: Bool) {
        state.withLock { s in
            if on { s.scanning.insert(root) } else { s.scanning.remove(root) }
        }
        events.publish(CustodyEvent(kind: on ? .scanning : .scanned, at: Date(), message: root))
    }

    /// Roots of media being scanned right now.
    public var scanningRoots: [String] { state.withLock { Array($0.scanning).sorted() } }

    /// Progress of a running `fsck` (clips checked, clips in all); nil when none runs.
    private let fsckState = Mutex<(done: Int, total: Int)?>(nil)
    public func setFsckProgress(_ progress: (done: Int, total: Int)?) { fsckState.withLock { $0 = progress } }
    public var fsckProgress: (done: Int, total: Int)? { fsckState.withLock { $0 } }

    /// Media being ingested: dumps in progress, and media still being scanned before their dump
    /// is listed (so `status` never says idle while a camera is being read).
    public var busyCount: Int {
        state.withLock { s in s.active.count + s.scanning.subtracting(s.active.values.map(\.mountPoint)).count }
    }

    public var active: [DumpProgress] { state.withLock { Array($0.active.values).sorted { $0.dumpID < $1.dumpID } } }

    public func setPaused(_ reason: String?) {
        let changed = state.withLock { s -> Bool in
            defer { s.pausedReason = reason }
            return s.pausedReason != reason
        }
        if changed, let reason { events.publish(CustodyEvent(kind: .alarm, at: Date(), message: reason)) }
    }
    public var pausedReason: String? { state.withLock { $0.pausedReason } }

    public func raiseAlarm(_ text: String) {
        state.withLock { $0.alarms.append(text) }
        events.publish(CustodyEvent(kind: .alarm, at: Date(), message: text))
    }
    public var alarms: [String] { state.withLock { $0.alarms } }

    public func countIngested(bytes: UInt64) {
        state.withLock { $0.clipsIngested += 1; $0.bytesIngested += Int64(bytes) }
        metrics.clipsIngested.increment()
        metrics.bytesIngested.increment(by: Int64(bytes))
    }
}
