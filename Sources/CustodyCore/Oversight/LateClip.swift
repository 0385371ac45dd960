import Foundation

/// One clip behind a late count of a compliance report: who, which camera, when it was recorded,
/// when it was due and when it arrived (issue "Lifecycle and paperwork": a count a clerk signs must
/// be checkable clip by clip).
public struct LateClip: Sendable, Equatable, Codable {
    public var sha256: String
    public var officerBadge: String?
    public var officerName: String?
    public var unit: String?
    public var deviceSerial: String?
    public var recordedAt: Date?
    public var dueAt: Date?
    public var ingestedAt: Date
    public var lateSeconds: Double
    public var deadlineRule: String?

    public init(sha256: String, officerBadge: String?, officerName: String?, unit: String?, deviceSerial: String?, recordedAt: Date?,
                dueAt: Date?, ingestedAt: Date, lateSeconds: Double, deadlineRule: String?) {
        self.sha256 = sha256; self.officerBadge = officerBadge; self.officerName = officerName; self.unit = unit
        self.deviceSerial = deviceSerial; self.recordedAt = recordedAt; self.dueAt = dueAt; self.ingestedAt = ingestedAt
        self.lateSeconds = lateSeconds; self.deadlineRule = deadlineRule
    }
}
