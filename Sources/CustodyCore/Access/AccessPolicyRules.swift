import Foundation

/// The "Access" rules as a checker. It decides from what the caller supplies
/// and touches nothing, so the same answer comes back on every station.
public struct AccessPolicyRules: Sendable, Hashable, Codable {
    public var documents: DocumentRequirements
    public var approvalPolicy: ApprovalPolicy
    /// Kinds of requester for whom footage with a confidentiality flag is
    /// refused at the register and must be handled apart. By default parties
    /// and lawyers; the agency and state bodies are cleared by their own rules.
    public var confidentialHandledApartFor: Set<RequesterKind>

    public init(documents: DocumentRequirements = .standard,
                approvalPolicy: ApprovalPolicy = ApprovalPolicy(),
                confidentialHandledApartFor: Set<RequesterKind> = [.party, .lawyer]) {
        self.documents = documents
        self.approvalPolicy = approvalPolicy
        self.confidentialHandledApartFor = confidentialHandledApartFor
    }

    public static let standard = AccessPolicyRules()

    /// Checks `request` with the standard rules.
    public static func check(_ request: AccessRequest) -> [AccessProblem] {
        standard.check(request)
    }

    /// Everything that stops `request` from being registered; empty when it
    /// may be registered (an approval may still be needed: see
    /// `requiredApproval(for:)` and `checkApproval`).
    public func check(_ request: AccessRequest) -> [AccessProblem] {
        var problems: [AccessProblem] = []
        let who = request.requester
        if who.name.trimmed.isEmpty { problems.append(.missingRequesterName) }
        if who.kind.isExternal, who.unit.trimmed.isEmpty { problems.append(.missingUnit) }
        if who.kind == .authority, who.authorityBody == nil { problems.append(.missingAuthorityBody) }
        if request.purpose.trimmed.isEmpty { problems.append(.missingPurpose) }
        if request.requestedBy.trimmed.isEmpty { problems.append(.missingClerk) }
        problems += documentProblems(request)
        if who.kind == .caseHandler, request.action.takesMediaOut {
            problems.append(.caseHandlerMayNotExport)
        }
        problems += clipProblems(request)
        problems += caseHandlerProblems(request)
        if let copies = request.copies, !(1...Self.maxCopies).contains(copies) { problems.append(.badCopies(copies)) }
        return problems
    }

    /// Missing papers first, then papers given but not verified.
    func documentProblems(_ request: AccessRequest) -> [AccessProblem] {
        let kind = request.requester.kind
        let mustVerify = documents.mustBeVerified.contains(kind)
        return documents.documents(for: kind).compactMap { needed in
            let given = request.documents.filter { $0.kind == needed && !$0.reference.trimmed.isEmpty }
            if given.isEmpty { return .missingDocument(needed) }
            if mustVerify, !given.contains(where: \.verified) { return .unverifiedDocument(needed) }
            return nil
        }
    }

    func clipProblems(_ request: AccessRequest) -> [AccessProblem] {
        guard !request.clips.isEmpty else { return [.noClips] }
        let kind = request.requester.kind
        var problems: [AccessProblem] = []
        for clip in request.clips {
            if !clip.hasWellFormedHash { problems.append(.malformedClipHash(clip.sha256)) }
            if kind == .party || kind == .lawyer, !clip.caseState.isConcluded {
                problems.append(.caseNotConcluded(clip: clip.sha256, caseNumber: clip.caseNumber))
            }
            if confidentialHandledApartFor.contains(kind), !clip.confidentiality.isEmpty {
                let flags = Confidentiality.allCases.filter(clip.confidentiality.contains)
                problems.append(.confidentialHandledApart(clip: clip.sha256, flags: flags))
            }
        }
        return problems
    }

    /// Viewing is free of charge (RULES.md): no fee may be asked for a look.
    public static let viewingFee = 0
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
