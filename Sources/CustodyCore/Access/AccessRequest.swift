import Foundation

/// One clip asked for, with what the caller knows about it. The case state and
/// flags come from the case system: this module decides, it does not look up.
public struct RequestedClip: Sendable, Hashable, Codable {
    /// SHA-256 of the clip, 64 lowercase hex digits: its address in the store.
    public var sha256: String
    /// Case number (案件编号) the clip belongs to.
    public var caseNumber: String
    public var caseState: CaseState
    public var confidentiality: Set<Confidentiality>
    /// The handler recorded on the clip's case (`nil` when the clip is in no case or the case
    /// names no handler): a case-handler request is registered only for the handler's own cases.
    public var caseHandler: CaseHandler?

    public init(sha256: String, caseNumber: String, caseState: CaseState,
                confidentiality: Set<Confidentiality> = [], caseHandler: CaseHandler? = nil) {
        self.sha256 = sha256
        self.caseNumber = caseNumber
        self.caseState = caseState
        self.confidentiality = confidentiality
        self.caseHandler = caseHandler
    }

    /// Whether `sha256` has the form of a store address.
    public var hasWellFormedHash: Bool {
        sha256.utf8.count == 64 && sha256.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// A request to look at, copy or take out footage, as the clerk registers it.
/// Every look, copy or transfer is one such row in the access register.
public struct AccessRequest: Sendable, Hashable, Codable {
    public var requester: Requester
    public var documents: [AccessDocument]
    public var clips: [RequestedClip]
    /// Why the footage is needed (用途), in the requester's words.
    public var purpose: String
    public var action: AccessAction
    /// Unix user of the clerk who registered the request.
    public var requestedBy: String
    /// How many copies or exports the requester asks for (`nil`: one, as registered before
    /// copies were counted). The approver may set another number; see `AccessAllowance`.
    public var copies: Int?

    public init(requester: Requester, documents: [AccessDocument], clips: [RequestedClip],
                purpose: String, action: AccessAction, requestedBy: String, copies: Int? = nil) {
        self.requester = requester
        self.documents = documents
        self.clips = clips
        self.purpose = purpose
        self.action = action
        self.requestedBy = requestedBy
        self.copies = copies
    }
}
