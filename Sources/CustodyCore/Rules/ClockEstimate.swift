import Foundation

/// A camera's clock offset at one docking and what it rests on (attribution issue, item 1).
public struct ClockEstimate: Sendable, Equatable {
    /// Where the offset comes from.
    public enum Basis: String, Sendable, Codable {
        /// The newest recording times the camera's file names claim, where they agree.
        case newestAgreeing = "newest-agreeing"
        /// The camera's own clock file (a device profile's `clock_file`), read at docking.
        case clockFile = "clock-file"
        /// Set by a clerk (`dumps clock-offset`), audited.
        case clerk
        /// Cleared by a clerk: the camera's clock is taken as right.
        case cleared
        /// Nothing on the medium claims a time.
        case none
    }

    /// Camera clock minus station clock (positive: the camera runs fast); nil when unknown.
    public var offsetSeconds: Double?
    public var basis: Basis
    /// Claimed times rejected as implausibly far in the future: one glitching file must not
    /// make the whole camera "2.2 days fast". Their clips are flagged `time-implausible`.
    public var outliers: [Date]

    public init(offsetSeconds: Double?, basis: Basis, outliers: [Date] = []) {
        self.offsetSeconds = offsetSeconds; self.basis = basis; self.outliers = outliers
    }
}

/// Estimates a camera's clock offset from evidence that agrees, never from a single outlier.
/// Pure: the ingest gathers the claimed times (file names, not file times: FAT drivers disagree
/// about those) and the clock file, this decides.
public enum ClockEstimator {
    /// - Parameters:
    ///   - claimed: recording times the medium's file names claim.
    ///   - clockFile: the time the camera's clock file says, written when it was docked.
    ///   - dockedAt: the station's time at docking.
    public static func estimate(claimed: [Date], clockFile: Date?, dockedAt: Date, policy: MatchPolicy) -> ClockEstimate {
        if let clockFile {
            // The camera said what its clock read at docking: anything it claims to have recorded
            // after that moment (beyond the tolerance) is a glitch.
            let offset = clockFile.timeIntervalSince(dockedAt)
            let limit = clockFile.addingTimeInterval(policy.futureToleranceSeconds)
            return ClockEstimate(offsetSeconds: offset, basis: .clockFile, outliers: claimed.filter { $0 > limit }.sorted())
        }
        let times = claimed.sorted(by: >)
        guard !times.isEmpty else { return ClockEstimate(offsetSeconds: nil, basis: .none) }
        let believable = dockedAt.addingTimeInterval(policy.clockOutlierSeconds)
        var outliers: [Date] = []
        for (index, time) in times.enumerated() {
            // A time within the outlier margin is believed alone (a clock a few minutes fast);
            // one further ahead only when another file claims a time close to it.
            let agreed = index + 1 < times.count && time.timeIntervalSince(times[index + 1]) <= policy.clockAgreementSeconds
            if time <= believable || agreed {
                return ClockEstimate(offsetSeconds: time.timeIntervalSince(dockedAt), basis: .newestAgreeing, outliers: outliers.reversed())
            }
            outliers.append(time)
        }
        return ClockEstimate(offsetSeconds: nil, basis: .none, outliers: outliers.reversed())
    }
}
