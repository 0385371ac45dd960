import Foundation

/// Why a clip is kept long-term on disc (RULES.md, "Long-term keeping on disc").
public enum LongTermReason: String, Sendable, Codable, CaseIterable {
    case coerciveMeasure = "coercive-measure"
    case objection
    case obstruction
    case massIncident = "mass-incident"
    case evidence
    case otherMajor = "other-major"

    public var chinese: String {
        switch self {
        case .coerciveMeasure: return "采取强制措施"
        case .objection: return "当事人有异议、可能投诉或信访"
        case .obstruction: return "当事人逃避、拒绝、阻碍执法或侮辱、殴打执法人员"
        case .massIncident: return "处置群体性或突发事件"
        case .evidence: return "作为证据使用"
        case .otherMajor: return "其他重大、敏感事项"
        }
    }

    /// "Other major or sensitive matter" must say what it is.
    public var needsNote: Bool { self == .otherMajor }
}

/// How long a clip is kept in the store (RULES.md, "Retention"): routine footage a set number of
/// months (10 to 24 by agency), evidence as long as its case file (or a set number of years after
/// the case is archived), long-term footage on disc with the store copy kept by its own setting.
public struct RetentionPolicy: Sendable, Equatable {
    public enum Class: String, Sendable, Codable { case routine, evidence, longTerm = "long-term" }

    public var routineMonths: Int
    /// Years after the case is archived; nil keeps evidence as long as the case file (never proposed).
    public var evidenceYears: Int?
    /// Months the store copy of a long-term clip is kept once both discs are stored; nil keeps it.
    public var longTermStoreMonths: Int?

    public init(routineMonths: Int, evidenceYears: Int? = nil, longTermStoreMonths: Int? = nil) {
        self.routineMonths = routineMonths; self.evidenceYears = evidenceYears; self.longTermStoreMonths = longTermStoreMonths
    }

    /// The class a clip falls in: long-term when marked, evidence when filed under a case, else routine.
    public static func classify(longTerm: Bool, caseNumber: String?) -> Class {
        longTerm ? .longTerm : caseNumber != nil ? .evidence : .routine
    }

    /// Until when the store keeps the clip; nil means no end is set (kept).
    /// - Parameters:
    ///   - recordedAt: the recording time (ingest time when unknown) the period runs from.
    ///   - caseArchivedAt: when the clip's case was archived, for evidence.
    public func retainUntil(class kind: Class, recordedAt: Date, caseArchivedAt: Date?, calendar: Calendar) -> Date? {
        switch kind {
        case .routine:
            return calendar.date(byAdding: .month, value: routineMonths, to: recordedAt)
        case .evidence:
            guard let years = evidenceYears, let archived = caseArchivedAt else { return nil }
            return calendar.date(byAdding: .year, value: years, to: archived)
        case .longTerm:
            return longTermStoreMonths.flatMap { calendar.date(byAdding: .month, value: $0, to: recordedAt) }
        }
    }
}
