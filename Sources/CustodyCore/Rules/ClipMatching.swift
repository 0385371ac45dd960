import Foundation

/// Settings for checking clips against the ledger (ledger issue, "Matching").
public struct MatchPolicy: Sendable, Equatable {
    /// A device clock further off than this is a finding (RULES.md: clocks must be set before use).
    public var clockDriftSeconds: Double = 120
    /// Recording times before this are clock resets (1970, 2010 …), not recordings.
    public var plausibleFloor = Date(timeIntervalSince1970: 1_420_070_400)  // 2015-01-01T00:00:00Z
    /// Times later than the station's clock by more than this are implausible.
    public var futureToleranceSeconds: Double = 300
    /// A file claiming a time further ahead of the docking than this is believed only when another
    /// file of the medium claims a time close to it (attribution issue, item 1): one glitching
    /// file must not make a whole camera "2.2 days fast".
    public var clockOutlierSeconds: Double = 3600
    /// How close (seconds) two claimed times must be to agree.
    public var clockAgreementSeconds: Double = 12 * 3600
    /// The deadline rules each clip is judged by when it is matched.
    public var deadlines = DeadlinePolicy()
    /// The working-day calendar in force (reloaded by the daemon when its file changes).
    public var calendar = WorkingCalendar(timeZone: .current)
    /// How long clips are kept (set from `[policy] retention_months` and `[retention]`).
    public var retention = RetentionPolicy(routineMonths: 12)
    public init() {}
}

/// What the ledger says about one clip.
public struct ClipMatch: Sendable, Equatable {
    /// The officer who had the device when the clip was recorded, per the handover ledger.
    public var officerBadge: String?
    public var handoverID: Int64?
    /// The recording time corrected by the device's clock offset.
    public var correctedRecordedAt: Date?
    public var flags: [ClipFlag]
}

/// Ties a clip to who wore the camera: the device from its claimed serial, the officer from the
/// handover covering its recording time corrected by the device's clock offset. Pure: the
/// catalog supplies the device's handovers.
public enum ClipMatcher {
    /// - Parameters:
    ///   - clockOffsetSeconds: device clock minus station clock at docking (positive: runs fast).
    ///   - deviceRegistered: false when the serial is unknown or only a placeholder.
    public static func match(claimedBadge: String?, recordedAt: Date?, clockOffsetSeconds: Double?,
                             deviceSerial: String?, deviceRegistered: Bool, handovers: [Handover],
                             policy: MatchPolicy, now: Date) -> ClipMatch {
        var flags: [ClipFlag] = []
        if deviceSerial != nil && !deviceRegistered { flags.append(.unregisteredDevice) }
        let offset = clockOffsetSeconds ?? 0
        if offset > policy.clockDriftSeconds { flags.append(.clockDrift) }
        // Only a clock that runs fast is known for certain (a recording cannot end after docking);
        // a slow-looking clock may just mean the camera sat idle, so it is not corrected.
        let corrected = recordedAt.map { offset > 0 ? $0.addingTimeInterval(-offset) : $0 }
        if let corrected, corrected < policy.plausibleFloor || corrected > now.addingTimeInterval(policy.futureToleranceSeconds) {
            flags.append(.timeImplausible)
        }
        guard deviceSerial != nil else {
            return ClipMatch(officerBadge: nil, handoverID: nil, correctedRecordedAt: corrected, flags: flags)
        }
        guard let time = corrected, !flags.contains(.timeImplausible),
              let handover = handovers.filter({ $0.covers(time) }).max(by: { $0.checkedOutAt < $1.checkedOutAt }) else {
            flags.append(.noHandover)
            return ClipMatch(officerBadge: nil, handoverID: nil, correctedRecordedAt: corrected, flags: flags)
        }
        if let claimedBadge, claimedBadge.caseInsensitiveCompare(handover.badge) != .orderedSame {
            flags.append(.officerMismatch)
        }
        return ClipMatch(officerBadge: handover.badge, handoverID: handover.id, correctedRecordedAt: corrected, flags: flags)
    }

    /// The handover that docked a clip whose device cannot be determined (no serial in its name,
    /// its medium's identity files or the medium's other names; attribution issue, item 4): the
    /// claimed officer's handover covering its time, else the last one they took out before the
    /// docking. The clip then keeps that officer and that handover's deadline rule (an off-site
    /// checkout its check-in rule).
    public static func dockingHandover(badge: String?, handovers: [Handover], time: Date?, dockedAt: Date) -> Handover? {
        guard let badge else { return nil }
        let own = handovers.filter { $0.badge.caseInsensitiveCompare(badge) == .orderedSame }
        if let time, let covering = own.filter({ $0.covers(time) }).max(by: { $0.checkedOutAt < $1.checkedOutAt }) { return covering }
        return own.filter { $0.checkedOutAt <= dockedAt }.max { $0.checkedOutAt < $1.checkedOutAt }
    }
}
