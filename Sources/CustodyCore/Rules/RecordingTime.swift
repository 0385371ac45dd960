import Foundation

/// A clip's recording time: which source gave it and why, with every source the clip had
/// (attribution issue, item 2: time sources that disagree are a finding, not a silent choice).
public struct RecordingTime: Sendable, Equatable {
    /// Why `recordedAt` is what it is. Stored with the clip (`time_reason`) and shown by `clips show`.
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// The container's time; the file name has none.
        case container
        /// The container's and the file name's times agree; the container's is used.
        case sourcesAgree = "sources-agree"
        /// The container's time is the file name's shifted by a whole zone offset: the camera wrote
        /// its local wall clock into the container as if it were UTC. The file name's is used.
        case zoneShift = "zone-shift"
        /// The container's and the file name's times differ otherwise; the container's is used.
        case sourcesDisagree = "sources-disagree"
        /// No container time; the file name's.
        case fileName = "file-name"
        /// Neither; the file's modification time.
        case fileTime = "file-time"
        /// No time at all.
        case none
        /// Set by a clerk (`clips correct --recorded-at`).
        case clerk
    }

    public var recordedAt: Date?
    public var source: TimeSource
    public var reason: Reason
    public var containerTime: Date?
    public var nameTime: Date?
    /// `time-zone-shift` or `time-sources-disagree` when the sources disagree.
    public var flags: [ClipFlag]

    /// Container and file name agree when they differ by at most this much plus the clip's
    /// duration (some cameras stamp the container when the recording ends).
    public static let toleranceSeconds: Double = 120
    /// The widest zone offset there is (UTC+14).
    static let widestZoneSeconds: Double = 14 * 3600

    /// Container → file name → file time, except that a container shifted from the name by a whole
    /// zone offset (a quarter-hour multiple from 1 h to 14 h) is taken as local time written as UTC and
    /// the name wins; every disagreement is flagged and both times are kept.
    public static func decide(container: Date?, name: Date?, fileTime: Date?, durationSeconds: Double?) -> RecordingTime {
        var time = RecordingTime(recordedAt: nil, source: .none, reason: .none, containerTime: container, nameTime: name, flags: [])
        switch (container, name) {
        case let (container?, name?):
            let difference = container.timeIntervalSince(name)
            let slack = toleranceSeconds + max(0, durationSeconds ?? 0)
            let zone = (difference / 900).rounded() * 900
            if abs(difference) <= slack {
                (time.recordedAt, time.source, time.reason) = (container, .container, .sourcesAgree)
            } else if abs(zone) >= 3600, abs(zone) <= widestZoneSeconds, abs(difference - zone) <= slack {
                (time.recordedAt, time.source, time.reason) = (name, .fileName, .zoneShift)
                time.flags = [.timeZoneShift]
            } else {
                (time.recordedAt, time.source, time.reason) = (container, .container, .sourcesDisagree)
                time.flags = [.timeSourcesDisagree]
            }
        case let (container?, nil):
            (time.recordedAt, time.source, time.reason) = (container, .container, .container)
        case let (nil, name?):
            (time.recordedAt, time.source, time.reason) = (name, .fileName, .fileName)
        case (nil, nil):
            if let fileTime {
                (time.recordedAt, time.source, time.reason) = (fileTime, .fileTime, .fileTime)
                time.flags = [.timeFromFileTime]
            }
        }
        return time
    }
}
