import Foundation

/// One recorded file (声像资料) as the catalog knows it: content identity, where it came from,
/// who and what recorded it, and the findings about it.
public struct Clip: Sendable, Equatable, Codable {
    public var sha256: String
    public var sizeBytes: UInt64
    public var mediaKind: String
    public var format: String
    public var recordedAt: Date?
    public var durationSeconds: Double?
    /// Which source gave `recordedAt`: container, file-name, file-time or none.
    public var timeSource: String
    public var deviceSerial: String?
    public var officerBadge: String?
    public var ingestedAt: Date
    public var dueAt: Date?
    public var late: Bool
    public var flags: [String]
    /// Source path of the first provenance, decoded for display.
    public var sourcePath: String

    public init(sha256: String, sizeBytes: UInt64, mediaKind: String, format: String, recordedAt: Date?,
                durationSeconds: Double?, timeSource: String, deviceSerial: String?, officerBadge: String?,
                ingestedAt: Date, dueAt: Date?, late: Bool, flags: [String], sourcePath: String) {
        self.sha256 = sha256; self.sizeBytes = sizeBytes; self.mediaKind = mediaKind; self.format = format
        self.recordedAt = recordedAt; self.durationSeconds = durationSeconds; self.timeSource = timeSource
        self.deviceSerial = deviceSerial; self.officerBadge = officerBadge; self.ingestedAt = ingestedAt
        self.dueAt = dueAt; self.late = late; self.flags = flags; self.sourcePath = sourcePath
    }
}
