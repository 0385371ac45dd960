import Foundation

/// The upload deadline (RULES.md, "Ingest and the upload deadline"): clips go to the store
/// within a window after the recording. The window is a setting because agencies differ.
public struct UploadDeadline: Sendable, Equatable {
    public var windowHours: Double
    public init(windowHours: Double) { self.windowHours = windowHours }

    /// Due time for a clip recorded at `recordedAt` lasting `duration` seconds (the window starts when
    /// the recording ends); nil when the recording time is unknown.
    public func due(recordedAt: Date?, durationSeconds: Double?) -> Date? {
        guard let recordedAt else { return nil }
        return recordedAt.addingTimeInterval((durationSeconds ?? 0) + windowHours * 3600)
    }

    public func isLate(due: Date?, ingestedAt: Date) -> Bool {
        guard let due else { return false }
        return ingestedAt > due
    }
}
