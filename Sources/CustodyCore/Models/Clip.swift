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
    /// Why that source (`RecordingTime.Reason`), and the container's and the file name's times
    /// as found, so a disagreement stays visible (attribution issue, item 2).
    public var timeReason: String?
    public var containerRecordedAt: Date?
    public var nameRecordedAt: Date?
    public var deviceSerial: String?
    /// The officer who had the device at the recording time, per the handover ledger;
    /// the claimed badge when the ledger cannot say.
    public var officerBadge: String?
    /// The badge the file name or the medium's sn.txt claims.
    public var claimedBadge: String?
    /// The serial the file name or the medium claims (`deviceSerial` is the clerk's when corrected).
    public var claimedSerial: String?
    /// A clerk's corrections in force (attribution issue, item 5): the device, the officer and the
    /// recording time, each kept beside what the camera claimed; nil where none.
    public var clerkSerial: String?
    public var clerkBadge: String?
    public var clerkRecordedAt: Date?
    /// Device clock minus station clock at docking (positive: the camera runs fast).
    public var clockOffsetSeconds: Double?
    /// The recording time corrected by the clock offset.
    public var correctedRecordedAt: Date?
    public var handoverID: Int64?
    public var ingestedAt: Date
    public var dueAt: Date?
    public var late: Bool
    /// Seconds past the due time at ingest (0 when on time).
    public var lateSeconds: Double = 0
    /// Which deadline rule judged the clip (`UploadJudgement.rule`).
    public var deadlineRule: String?
    /// Annotate by then (annotation window after ingest).
    public var annotationDueAt: Date?
    /// When the first annotation was recorded; nil while unannotated.
    public var annotatedAt: Date?
    /// The case of the clip's newest annotation.
    public var caseNumber: String?
    public var flags: [String]
    /// Source path of the first provenance, decoded for display.
    public var sourcePath: String
    /// When the clip was disposed (two-person disposal): its bytes are gone, its row, tombstone
    /// and audit rows stay, and nothing may change it any more.
    public var disposedAt: Date?

    public init(sha256: String, sizeBytes: UInt64, mediaKind: String, format: String, recordedAt: Date?,
                durationSeconds: Double?, timeSource: String, deviceSerial: String?, officerBadge: String?,
                ingestedAt: Date, dueAt: Date?, late: Bool, flags: [String], sourcePath: String) {
        self.sha256 = sha256; self.sizeBytes = sizeBytes; self.mediaKind = mediaKind; self.format = format
        self.recordedAt = recordedAt; self.durationSeconds = durationSeconds; self.timeSource = timeSource
        self.deviceSerial = deviceSerial; self.officerBadge = officerBadge; self.claimedBadge = officerBadge
        self.claimedSerial = deviceSerial
        self.ingestedAt = ingestedAt
        self.dueAt = dueAt; self.late = late; self.flags = flags; self.sourcePath = sourcePath
    }
}
