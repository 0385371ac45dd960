import Foundation
import Synchronization

/// Who looked at which clip's footage lately, so that playing a clip is one audited look and not
/// an audit row per range the player fetches (a seek asks for a few megabytes at a time). A look
/// is audited again once `window` has passed since it was last audited; a restart forgets the
/// list and audits the next range again, never fewer.
public final class PlaybackLooks: Sendable {
    private let audited = Mutex<[String: Date]>([:])
    let window: TimeInterval

    public init(window: TimeInterval = 600) { self.window = window }

    /// True when this look must be audited now (and notes that it was).
    func needsAudit(uid: UInt32, sha256: String, now: Date = Date()) -> Bool {
        audited.withLock { seen in
            let key = "\(uid):\(sha256)"
            if let last = seen[key], now.timeIntervalSince(last) < window { return false }
            if seen.count > 10_000 { seen = seen.filter { now.timeIntervalSince($0.value) < window } }
            seen[key] = now
            return true
        }
    }
}
