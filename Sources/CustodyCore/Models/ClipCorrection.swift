import Foundation

/// One field of a clerk's correction: left as it is, set, or cleared (back to what the camera
/// and the ledger say).
public enum CorrectionValue<Value: Sendable & Equatable>: Sendable, Equatable {
    case unchanged
    case set(Value)
    case cleared

    /// The value in force after the correction, given the one before.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .unchanged: return current
        case .set(let value): return value
        case .cleared: return nil
        }
    }
}

/// A clerk's correction of one clip or of every clip of a docking (attribution issue, item 5):
/// any subset of the device, the officer and the recording time, with the reason. The camera's
/// own claims stay beside it; the clip is matched and judged again at once.
public struct ClipCorrection: Sendable, Equatable {
    public var device: CorrectionValue<String> = .unchanged
    public var officer: CorrectionValue<String> = .unchanged
    public var recordedAt: CorrectionValue<Date> = .unchanged
    public var reason: String
    public init(device: CorrectionValue<String> = .unchanged, officer: CorrectionValue<String> = .unchanged,
                recordedAt: CorrectionValue<Date> = .unchanged, reason: String) {
        self.device = device; self.officer = officer; self.recordedAt = recordedAt; self.reason = reason
    }
    public var isEmpty: Bool { device == .unchanged && officer == .unchanged && recordedAt == .unchanged }
}
