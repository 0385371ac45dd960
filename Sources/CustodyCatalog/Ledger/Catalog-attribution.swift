import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// Attribution beyond the device's own handovers (attribution issue, items 4 and 5):
    /// - a clip of no known device takes the officer and the deadline rule of the handover that
    ///   docked it (its claimed officer's), flagged `device-unknown`;
    /// - a clerk's officer stands; the verdict follows that officer's handover covering the time
    ///   when the device's handover is someone else's (a real ledger conflict stays flagged);
    /// - any clerk correction in force is flagged `corrected`.
    static func attributeBeyondDevice(_ clip: Clip, _ match: inout ClipMatch, _ handover: inout Handover?, db: Database) throws {
        let implausible = match.flags.contains(.timeImplausible)
        if clip.deviceSerial == nil, clip.clerkBadge == nil, !implausible,
           let docking = ClipMatcher.dockingHandover(badge: clip.claimedBadge, handovers: try handovers(badge: clip.claimedBadge, db: db),
                                                      time: match.correctedRecordedAt, dockedAt: clip.ingestedAt) {
            (match.officerBadge, match.handoverID, handover) = (docking.badge, docking.id, docking)
            match.flags.append(.deviceUnknown)
        }
        if let badge = clip.clerkBadge {
            if handover.map({ $0.badge.caseInsensitiveCompare(badge) != .orderedSame }) ?? true, !implausible, let time = match.correctedRecordedAt,
               let own = try handovers(badge: badge, db: db).filter({ $0.covers(time) }).max(by: { $0.checkedOutAt < $1.checkedOutAt }) {
                (match.handoverID, handover) = (own.id, own)
                match.flags.removeAll { $0 == .officerMismatch || $0 == .noHandover }
            }
            match.officerBadge = badge
        }
        if clip.clerkSerial != nil || clip.clerkBadge != nil || clip.clerkRecordedAt != nil { match.flags.append(.corrected) }
    }

    /// An officer's current handovers (of any device).
    static func handovers(badge: String?, db: Database) throws -> [Handover] {
        guard let badge else { return [] }
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM current_handover WHERE badge = ? ORDER BY checked_out_at"),
                                arguments: [badge]).map(handover(from:))
    }
}
