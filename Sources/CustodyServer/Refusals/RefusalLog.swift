import CustodyCatalog
import CustodyCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Writes refusals into the audit log without letting a caller multiply rows (availability
/// issue, item 5: a viewer repeating a refused request added ~800 undeletable rows a second).
/// Every refusal of the admin API goes through `record` (`APIHandlers.auditRefusal`) or
/// `refusedConnection` (`AdmittedHTTP1Channel`). The first `burst` refusals of the same request
/// for the same reason by the same user in an interval are rows of their own (a person who is
/// refused twice sees both), and at most `perUser` of all of one user's refusals; the rest are
/// counted, and each interval's count becomes one row (`repeated: true`, `count: N`), so a flood
/// costs one row a minute per request and user, and nothing refused goes unrecorded. Connections
/// refused for too many are counted from the first: one row per user per minute.
public final class RefusalLog: Service, Sendable {
    struct Key: Hashable { var uid: UInt32; var what: String; var why: String }
    struct Window {
        var actor: String
        var opened: Date
        var last: Date
        var written = 0
        var counted = 0
    }
    struct State {
        var windows: [Key: Window] = [:]
        /// Rows written per user in the current interval, and when it started.
        var users: [UInt32: (since: Date, written: Int)] = [:]
    }

    let catalog: Catalog
    let logger: Logger
    let interval: TimeInterval
    let burst: Int
    let perUser: Int
    private let state = Mutex(State())
    /// Connection refusals are written off the event loop that refused them, in order.
    private let writer = DispatchQueue(label: "custody.refusal-log")

    public init(catalog: Catalog, logger: Logger, limits: CustodyConfig.Limits) {
        self.catalog = catalog; self.logger = logger
        interval = limits.refusalIntervalSeconds; burst = limits.refusalBurst; perUser = limits.refusalRowsPerUser
    }

    /// Audits one refused request: a row now, or a count in this interval's row.
    func record(peer: PeerIdentity, what: String, why: String) {
        guard note(Key(uid: peer.uid, what: what, why: why), actor: { peer.auditName }, burst: burst) else { return }
        logger.warning("request refused", metadata: ["peer": "\(peer.auditName)", "request": "\(what)", "reason": "\(why)"])
        write(actor: peer.auditName, object: what, detail: ["reason": why])
    }

    /// Audits a connection refused at the door: the first of a user's interval is a row (written
    /// off the event loop), the rest are that interval's count.
    func refusedConnection(uid: UInt32, why: String) {
        let actor: @Sendable () -> String = { Person(uid: uid, name: UserAccounts.name(uid: uid) ?? "").auditName }
        guard note(Key(uid: uid, what: "connect", why: why), actor: actor, burst: 1) else { return }
        writer.async { [self] in
            let name = actor()
            logger.warning("connection refused", metadata: ["peer": "\(name)", "reason": "\(why)"])
            write(actor: name, object: "connect", detail: ["reason": why])
        }
    }

    /// Whether this refusal is written now (else it was counted).
    private func note(_ key: Key, actor: () -> String, burst: Int) -> Bool {
        let now = Date()
        // The name is looked up (NSS) once per window, outside the lock.
        let name = state.withLock { $0.windows[key]?.actor } ?? actor()
        return state.withLock { s in
            var user = s.users[key.uid] ?? (now, 0)
            if now.timeIntervalSince(user.since) >= interval { user = (now, 0) }
            var window = s.windows[key] ?? Window(actor: name, opened: now, last: now)
            window.last = now
            let write = window.written < burst && user.written < perUser
            if write {
                window.written += 1
                user.written += 1
            } else {
                window.counted += 1
            }
            s.windows[key] = window
            s.users[key.uid] = user
            return write
        }
    }

    /// Writes each count whose interval is over as one row; forgets windows quiet for an interval.
    /// `all`: every count, whatever its age (at shutdown).
    public func flush(all: Bool = false) {
        let now = Date()
        let due = state.withLock { s -> [(Key, Window)] in
            var due: [(Key, Window)] = []
            for (key, window) in s.windows {
                if window.counted > 0 && (all || now.timeIntervalSince(window.opened) >= interval) {
                    due.append((key, window))
                    // Still flooding: the next interval is counted from the start, one row at its end.
                    s.windows[key] = Window(actor: window.actor, opened: now, last: window.last, written: burst, counted: 0)
                } else if window.counted == 0 && now.timeIntervalSince(window.last) >= interval {
                    s.windows[key] = nil
                }
            }
            s.users = s.users.filter { now.timeIntervalSince($0.value.since) < interval }
            return due
        }
        for (key, window) in due.sorted(by: { $0.1.opened < $1.1.opened }) {
            logger.warning("refusals repeated", metadata: ["peer": "\(window.actor)", "request": "\(key.what)", "count": "\(window.counted)",
                                                            "reason": "\(key.why)"])
            write(actor: window.actor, object: key.what,
                  detail: ["reason": key.why, "repeated": "true", "count": String(window.counted),
                           "since": ISO8601DateFormatter().string(from: window.opened), "until": ISO8601DateFormatter().string(from: now)])
        }
    }

    private func write(actor: String, object: String, detail: [String: String]) {
        do {
            try catalog.audit(actor: actor, action: "api.refused", object: object, detail: detail)
        } catch {
            logger.error("could not audit a refusal", metadata: ["error": "\(error)"])
        }
    }

    /// Writes due counts every few seconds until the daemon stops, then every count left.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(min(5, self.interval / 4) * 1000)))
                _ = try? await OwnThread.run("custody-refusals") { self.flush() }
            }
        }
        writer.sync {}
        flush(all: true)
    }
}
