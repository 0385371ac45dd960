import Foundation

/// The posts whose signature the rules ask for. Matched exactly: a request
/// that needs the legal office head is not approved by another post.
public enum ApproverTitle: String, Sendable, Hashable, Codable, CaseIterable {
    /// 法制部门负责人: head of the legal office; approves the handler's copies.
    case legalOfficeHead
    /// 单位负责人: head of the agency; approves everyone else.
    case agencyHead

    public var nameZh: String {
        switch self {
        case .legalOfficeHead: "法制部门负责人"
        case .agencyHead: "单位负责人"
        }
    }

    public var nameEn: String {
        switch self {
        case .legalOfficeHead: "head of the legal office"
        case .agencyHead: "head of the agency"
        }
    }
}

/// An approval as recorded on the station. The caller vouches that
/// `approver` holds `title` (from its own user directory).
public struct Approval: Sendable, Hashable, Codable {
    public var approver: Person
    public var title: ApproverTitle
    public var approvedAt: Date

    public init(approver: Person, title: ApproverTitle, approvedAt: Date) {
        self.approver = approver
        self.title = title
        self.approvedAt = approvedAt
    }
}

/// How long an approval stays usable, and for which actions that matters.
/// Stale approvals are refused so that an old signature cannot be reused for
/// a transfer nobody has looked at lately.
public struct ApprovalPolicy: Sendable, Hashable, Codable {
    /// Days after `approvedAt` during which the approval may be used.
    public var expiryDays: Int
    /// Actions for which an expired approval is refused. By default every
    /// action; an export is always among them, whatever is configured.
    public var expiryAppliesTo: Set<AccessAction>

    public init(expiryDays: Int = 7, expiryAppliesTo: Set<AccessAction> = Set(AccessAction.allCases)) {
        self.expiryDays = expiryDays
        self.expiryAppliesTo = expiryAppliesTo.union([.export])
    }

    /// The first instant at which the approval no longer counts.
    public func expiry(of approval: Approval) -> Date {
        approval.approvedAt.addingTimeInterval(TimeInterval(expiryDays) * 86_400)
    }
}

extension AccessPolicyRules {
    /// Which post must approve, or `nil` when no approval is needed. Only the
    /// case handler's own look needs none; his copy needs the legal office
    /// head; an authority's look rests on its verified papers, but nothing is
    /// released to it without the agency head; everyone else needs the agency head.
    public func requiredApproval(for request: AccessRequest) -> ApproverTitle? {
        switch request.requester.kind {
        case .caseHandler:
            request.action == .view ? nil : .legalOfficeHead
        case .authority:
            request.action == .view ? nil : .agencyHead
        case .agencyStaff, .party, .lawyer, .otherRegion:
            .agencyHead
        }
    }

    /// Checks that `approval` may be used for `request` at `now`: the right
    /// post, a person other than the requester and the registering clerk (no
    /// one approves their own request or their own paperwork: compared as
    /// accounts by `Person.distinct`, which also refuses when a recorded
    /// account has changed its name since), and not stale. `currentName` gives
    /// the account name the system has for a uid now. Returns no problems when
    /// no approval is needed and none is given.
    public func checkApproval(_ request: AccessRequest, clerk: Person, approval: Approval?, now: Date,
                              currentName: (UInt32) -> String?) -> [AccessProblem] {
        guard let required = requiredApproval(for: request) else { return [] }
        guard let approval else { return [.approvalMissing(required)] }
        var problems: [AccessProblem] = []
        if approval.title != required {
            problems.append(.wrongApproverTitle(required: required, given: approval.title))
        }
        if let unresolved = request.requester.unresolvedStationUser {
            problems.append(.requesterUnresolved(unresolved))
        }
        if let requester = request.requester.stationUser,
           let problem = Person.distinct(approval.approver, from: requester, as: .requester, currentName: currentName(requester.uid)) {
            problems.append(.samePerson(problem))
        }
        if let problem = Person.distinct(approval.approver, from: clerk, as: .clerk, currentName: currentName(clerk.uid)) {
            problems.append(.samePerson(problem))
        }
        if approval.approvedAt > now {
            problems.append(.approvalInFuture(approval.approvedAt))
        }
        let expiry = approvalPolicy.expiry(of: approval)
        if approvalPolicy.expiryAppliesTo.contains(request.action), now >= expiry {
            problems.append(.approvalExpired(approvedAt: approval.approvedAt, days: approvalPolicy.expiryDays))
        }
        return problems
    }
}
