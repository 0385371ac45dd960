import Foundation

/// Where a registered request stands at an instant: what the register shows and what decides
/// whether anything may be done under it. Computed, never stored: an approval becomes expired by
/// time passing, not by anyone writing it down.
public enum AccessStanding: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for an approver.
    case pending
    /// Approved and usable now.
    case approved
    /// Needs no approval (the case handler's own look, an authority's look) and is usable now.
    case direct
    case denied
    /// Approved, but older than the approval policy allows.
    case expired
    /// Every copy or export the approval allows has been made; looks stay possible.
    case usedUp = "used-up"
}

/// What the register knows about one request when a use of it is asked for: the request, its
/// decision and what was already done under it.
public struct AccessUseFacts: Sendable {
    public var request: AccessRequest
    public var clerk: Person
    /// `nil` while waiting.
    public var approved: Bool?
    public var approval: Approval?
    /// The number of copies or exports allowed (the approver's, else the request's, else one).
    public var copiesAllowed: Int
    /// Copies and exports already made.
    public var copiesMade: Int

    public init(request: AccessRequest, clerk: Person, approved: Bool?, approval: Approval?, copiesAllowed: Int, copiesMade: Int) {
        self.request = request
        self.clerk = clerk
        self.approved = approved
        self.approval = approval
        self.copiesAllowed = copiesAllowed
        self.copiesMade = copiesMade
    }
}

extension AccessPolicyRules {
    /// The one gate every use of the register goes through, whatever the path (the export route,
    /// `custodyctl access viewed`, the console playing a clip against a request): a look or a
    /// copy needs the request not denied, its approval (when one is needed) valid and not expired
    /// at `now`, and a copy needs one left of those the approval allows. `use` is `.view` for a
    /// look and the request's own action for a copy or export.
    public func checkUse(_ use: AccessAction, _ facts: AccessUseFacts, now: Date,
                         currentName: (UInt32) -> String?) -> [AccessProblem] {
        if facts.approved == false { return [.requestDenied] }
        if use != .view, facts.request.action == .view { return [.viewOnly] }
        var problems = checkApproval(facts.request, clerk: facts.clerk, approval: facts.approved == true ? facts.approval : nil,
                                     now: now, currentName: currentName)
        if use != .view, facts.copiesMade >= facts.copiesAllowed {
            problems.append(.copiesUsedUp(allowed: facts.copiesAllowed, made: facts.copiesMade))
        }
        return problems
    }

    /// The standing the register shows for a request at `now`.
    public func standing(_ facts: AccessUseFacts, now: Date) -> AccessStanding {
        switch facts.approved {
        case .some(false): return .denied
        case .none where requiredApproval(for: facts.request) != nil: return .pending
        default: break
        }
        if let approval = facts.approval, requiredApproval(for: facts.request) != nil, now >= approvalPolicy.expiry(of: approval) {
            return .expired
        }
        if facts.request.action != .view, facts.copiesMade >= facts.copiesAllowed { return .usedUp }
        return facts.approved == true ? .approved : .direct
    }

    /// When the approval stops counting; `nil` when none is needed or none was given.
    public func expiry(_ facts: AccessUseFacts) -> Date? {
        guard facts.approved == true, requiredApproval(for: facts.request) != nil, let approval = facts.approval else { return nil }
        return approvalPolicy.expiry(of: approval)
    }

    /// The most copies one approval may allow: a number beyond is a typing slip, not a decision.
    public static let maxCopies = 99
}
