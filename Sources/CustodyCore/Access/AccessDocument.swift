import Foundation

/// The kinds of paper a requester hands over. Each kind is named in the
/// rules; the register keeps its number so the original can be found again.
public enum AccessDocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 介绍信: letter of introduction from the requester's unit or firm.
    case letterOfIntroduction
    /// 工作证件/身份证: work ID or resident identity card.
    case idDocument
    /// 授权委托书: the party's power of attorney for its lawyer.
    case powerOfAttorney
    /// 律师执业证: lawyer's practising licence.
    case lawyerLicence
    /// 外地机关函件: official letter of an agency of another region.
    case officialLetter
    /// 案件指派记录: record that the case was assigned to the handler.
    case caseAssignment

    public var nameZh: String {
        switch self {
        case .letterOfIntroduction: "介绍信"
        case .idDocument: "工作证件/身份证"
        case .powerOfAttorney: "授权委托书"
        case .lawyerLicence: "律师执业证"
        case .officialLetter: "外地机关函件"
        case .caseAssignment: "案件指派记录"
        }
    }

    public var nameEn: String {
        switch self {
        case .letterOfIntroduction: "letter of introduction"
        case .idDocument: "work ID or identity card"
        case .powerOfAttorney: "power of attorney"
        case .lawyerLicence: "lawyer's licence"
        case .officialLetter: "official letter"
        case .caseAssignment: "case assignment record"
        }
    }
}

/// One document as the requester gave it to the clerk.
public struct AccessDocument: Sendable, Hashable, Codable {
    public var kind: AccessDocumentKind
    /// Number or reference printed on the document (证件号, 文号).
    public var reference: String
    /// The clerk checked it against the original (and, for a letter, with the
    /// issuing unit). Unverified papers do not count for outside requesters.
    public var verified: Bool
    /// Free note by the clerk, e.g. how it was verified.
    public var note: String

    public init(kind: AccessDocumentKind, reference: String, verified: Bool, note: String = "") {
        self.kind = kind
        self.reference = reference
        self.verified = verified
        self.note = note
    }
}
