import CustodyAPI
import CustodyIngest
import Foundation
import NIOCore
import Prometheus

extension APIHandlers {
    /// `GET /v1/events`: newline-delimited JSON, streamed until the client goes or the daemon stops.
    func events() -> APIResponse {
        var response = APIResponse(status: .ok, contentType: "application/x-ndjson", body: ByteBuffer())
        response.stream = eventLines()
        return response
    }

    /// `GET /metrics`: Prometheus text format.
    func metrics() throws -> APIResponse {
        .text(try metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// `GET /v1/events`: the current dumps first, then every event as one JSON line, until the
    /// client goes away, the daemon stops, or the client falls `[limits] event_buffer` events
    /// behind (then a last `missed` line says so; `custodyctl watch` connects again).
    func eventLines() -> EventLines {
        let events = monitor.events.subscribe(capacity: config.limits.eventBuffer)
        var opening = monitor.active.map { CustodyEvent(kind: .progress, at: Date(), progress: $0) }
        opening += monitor.scanningRoots.map { CustodyEvent(kind: .scanning, at: Date(), message: $0) }
        opening.append(CustodyEvent(kind: .hello, at: Date(), message: "\(monitor.active.count) dumps active"))
        return EventLines(opening: opening, events: events)
    }

    static func progressItem(_ p: DumpProgress) -> EventItem.Progress {
        EventItem.Progress(dumpID: p.dumpID, mountPoint: p.mountPoint, state: p.state.rawValue, filesDone: p.filesDone,
                           filesTotal: p.filesTotal, bytesDone: p.bytesMoved, bytesTotal: p.bytesTotal, errors: p.errors,
                           bytesPerSecond: p.bytesPerSecond, currentFile: p.currentFile)
    }

    /// `GET /metrics`: Prometheus text format. Counters come from the ingest path; the gauges
    /// describing the present are set here, at scrape time.
    func metricsText() throws -> String {
        let registry = monitor.metrics.registry
        func gauge(_ name: String, unit: String, _ help: String, _ value: Double) {
            registry.makeGauge(descriptor: IngestMetrics.name(name, unit: unit, help)).set(value)
        }
        let active = monitor.active
        gauge("store_free", unit: "bytes", "Free bytes on the evidence store's filesystem.", Double(store.freeBytes() ?? 0))
        gauge("dumps_active", unit: "count", "Dumps being ingested.", Double(active.count))
        gauge("ingest_paused", unit: "bool", "1 while ingest is paused for lack of store space.", monitor.pausedReason == nil ? 0 : 1)
        gauge("queue_files", unit: "count", "Files found on docked media and not yet ingested.",
              Double(active.reduce(0) { $0 + max(0, $1.filesTotal - $1.filesDone) }))
        gauge("queue", unit: "bytes", "Bytes found on docked media and not yet ingested.",
              Double(active.reduce(0) { $0 + max(0, $1.bytesTotal - $1.bytesDone) }))
        gauge("clips", unit: "count", "Clips in the catalog.", Double(try catalog.clipCount()))
        gauge("overdue_clips", unit: "count", "Clips ingested after their upload deadline.", Double(try catalog.lateClipCount()))
        gauge("alarms", unit: "count", "Alarms raised since the daemon started.", Double(monitor.alarms.count))
        gauge("audit_rows", unit: "count", "Rows in the audit log.", Double(try catalog.auditEntries(limit: 1).last?.seq ?? 0))
        return registry.emitToString()
    }
}

/// The lines of one `GET /v1/events` answer, produced as the client takes them: nothing is
/// encoded ahead of a client that does not read, so what waits for it is at most its
/// subscription's buffer.
public struct EventLines: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let opening: [CustodyEvent]
    let events: EventSubscription

    public struct AsyncIterator: AsyncIteratorProtocol {
        var opening: [CustodyEvent]
        let subscription: EventSubscription
        var events: AsyncStream<CustodyEvent>.Iterator
        var ended = false

        public mutating func next() async -> ByteBuffer? {
            if !opening.isEmpty { return Self.line(opening.removeFirst()) }
            guard !ended else { return nil }
            if let event = await events.next() { return Self.line(event) }
            ended = true
            guard subscription.fellBehind else { return nil }
            return Self.line(CustodyEvent(kind: .missed, at: Date(),
                                          message: "you missed events: this listener fell behind and was cut off; connect again for the current state"))
        }

        static func line(_ event: CustodyEvent) -> ByteBuffer {
            var item = EventItem(type: event.kind.rawValue, at: event.at, dump: event.progress.map(APIHandlers.progressItem), message: event.message)
            item.alert = event.kind == .alert ? event.payload.flatMap { try? APICoding.decoder().decode(AlertItem.self, from: $0) } : nil
            item.job = event.kind == .job ? event.payload.flatMap { try? APICoding.decoder().decode(JobItem.self, from: $0) } : nil
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var data = (try? encoder.encode(item)) ?? Data("{}".utf8)
            data.append(0x0A)
            return ByteBuffer(bytes: data)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(opening: opening, subscription: events, events: events.makeAsyncIterator())
    }
}
