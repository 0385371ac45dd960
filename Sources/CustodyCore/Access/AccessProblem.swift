import Foundation

/// A reason a request may not be registered or served. Each problem names
/// what is wrong, so the clerk can tell the requester what to bring.
public enum AccessProblem: Sendable, Hashable, Codable {
    case missingRequesterName
    case missingUnit
    /// An authority without saying which body it is.
    case missingAuthorityBody
    case noClips
    case malformedClipHash(String)
    case missingPurpose
    /// The registering clerk's user is empty.
    case missingClerk
    case missingDocument(AccessDocumentKind)
    /// The document was given but not checked against the original.
    case unverifiedDocument(AccessDocumentKind)
    /// The case handler may look and copy, but not take media out.
    case caseHandlerMayNotExport
    /// Parties and lawyers only get footage of closed or archived cases.
    case caseNotConcluded(clip: String, caseNumber: String)
    /// Footage touching secrets or privacy is handled apart, not through
    /// the ordinary register, for this kind of requester.
    case confidentialHandledApart(clip: String, flags: [Confidentiality])
    case approvalMissing(ApproverTitle)
    case wrongApproverTitle(required: ApproverTitle, given: ApproverTitle)
    /// The approver is the requester or the registering clerk, or cannot be told apart from them.
    case samePerson(SamePersonProblem)
    /// The requester's station user was recorded before identities and matches no account.
    case requesterUnresolved(String)
    case approvalInFuture(Date)
    case approvalExpired(approvedAt: Date, days: Int)
    /// A case-handler request that does not say which officer (badge) is asking.
    case caseHandlerBadgeMissing
    /// A case-handler request for a clip of a case the requester does not handle (or of no case,
    /// or of a case that records no handler).
    case notTheCaseHandler(clip: String, caseNumber: String, handler: CaseHandler?, badge: String)
    /// The request was denied: nothing is done under it.
    case requestDenied
    /// A request to view may not be used to copy or take out.
    case viewOnly
    /// Every copy or export the approval allows has been made.
    case copiesUsedUp(allowed: Int, made: Int)
    /// A number of copies below one or above `maxCopies`.
    case badCopies(Int)

    /// Stable short code for logs and tests.
    public var code: String {
        switch self {
        case .missingRequesterName: "missing-requester-name"
        case .missingUnit: "missing-unit"
        case .missingAuthorityBody: "missing-authority-body"
        case .noClips: "no-clips"
        case .malformedClipHash: "malformed-clip-hash"
        case .missingPurpose: "missing-purpose"
        case .missingClerk: "missing-clerk"
        case .missingDocument: "missing-document"
        case .unverifiedDocument: "unverified-document"
        case .caseHandlerMayNotExport: "case-handler-may-not-export"
        case .caseNotConcluded: "case-not-concluded"
        case .confidentialHandledApart: "confidential-handled-apart"
        case .approvalMissing: "approval-missing"
        case .wrongApproverTitle: "wrong-approver-title"
        case .samePerson(let p): p.code
        case .requesterUnresolved: "requester-unresolved"
        case .approvalInFuture: "approval-in-future"
        case .approvalExpired: "approval-expired"
        case .caseHandlerBadgeMissing: "case-handler-badge-missing"
        case .notTheCaseHandler: "not-the-case-handler"
        case .requestDenied: "request-denied"
        case .viewOnly: "view-only"
        case .copiesUsedUp: "copies-used-up"
        case .badCopies: "bad-copies"
        }
    }
}
