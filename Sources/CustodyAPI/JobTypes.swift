import Foundation

/// A long piece of work the daemon runs in the background (`GET /v1/jobs`, `status`, the event
/// stream): fsck, audit verification, a report (compliance, ledger) or a CSV export. One runs at a time per kind; a
/// request for the same work joins it, a request for other work of that kind waits its turn.
public struct JobItem: Codable, Sendable, Equatable {
    public var id: Int64
    /// `fsck`, `audit-verify`, `report` or `export`.
    public var kind: String
    /// What is being done (`fsck`, `audit verify`, `GET /v1/reports/compliance`).
    public var title: String
    /// `queued`, `running`, `done`, `failed` or `cancelled`.
    public var state: String
    /// Every account that asked for it (`uid:N(name)`), the first one first.
    public var requestedBy: [String]
    public var queuedAt: Date
    public var startedAt: Date?
    /// Units of work done and in all (clips checked, rows verified, files copied); 0 of 0 when the
    /// work cannot say.
    public var done: Int
    public var total: Int
    /// Who cancelled it, when someone did.
    public var cancelledBy: String?
    public init(id: Int64, kind: String, title: String, state: String, requestedBy: [String], queuedAt: Date, startedAt: Date?,
                done: Int, total: Int, cancelledBy: String? = nil) {
        self.id = id; self.kind = kind; self.title = title; self.state = state; self.requestedBy = requestedBy
        self.queuedAt = queuedAt; self.startedAt = startedAt; self.done = done; self.total = total; self.cancelledBy = cancelledBy
    }
}
