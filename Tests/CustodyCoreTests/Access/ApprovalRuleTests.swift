import CustodyCore
import Foundation
import Testing

@Suite("Whose approval, by whom, and how long it lasts")
struct ApprovalRuleTests {
    let rules = AccessPolicyRules.standard
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    func approval(_ user: String = "chief", _ title: ApproverTitle = .agencyHead, daysAgo: Double = 1) -> Approval {
        Approval(approverUser: user, title: title, approvedAt: now.addingTimeInterval(-daysAgo * 86_400))
    }

    @Test("the case handler viewing needs no approval")
    func handlerViewNeedsNone() {
        #expect(rules.requiredApproval(for: Fixture.request(.caseHandler)) == nil)
        #expect(rules.checkApproval(Fixture.request(.caseHandler), requesterUser: "wang", clerkUser: "clerk1",
                                    approval: nil, now: now).isEmpty)
    }

    @Test("the case handler's copy needs the head of the legal office")
    func handlerCopyNeedsLegalHead() {
        let request = Fixture.request(.caseHandler, action: .copy)
        #expect(rules.requiredApproval(for: request) == .legalOfficeHead)
        #expect(rules.checkApproval(request, requesterUser: "wang", clerkUser: "clerk1", approval: nil, now: now)
            == [.approvalMissing(.legalOfficeHead)])
        #expect(rules.checkApproval(request, requesterUser: "wang", clerkUser: "clerk1",
                                    approval: approval("fazhi", .legalOfficeHead), now: now).isEmpty)
    }

    @Test("the head of the agency approving what the legal office head must approve is refused")
    func wrongTitle() {
        let request = Fixture.request(.caseHandler, action: .copy)
        #expect(rules.checkApproval(request, requesterUser: "wang", clerkUser: "clerk1", approval: approval(), now: now)
            == [.wrongApproverTitle(required: .legalOfficeHead, given: .agencyHead)])
    }

    @Test("other staff, parties, lawyers and other regions need the head of the agency")
    func othersNeedAgencyHead() {
        for kind in [RequesterKind.agencyStaff, .party, .lawyer, .otherRegion] {
            for action in AccessAction.allCases {
                #expect(rules.requiredApproval(for: Fixture.request(kind, action: action)) == .agencyHead)
            }
        }
    }

    @Test("an authority looks on verified papers, but nothing is released to it without the head of the agency")
    func authorityApproval() {
        #expect(rules.requiredApproval(for: Fixture.request(.authority, body: .police, action: .view)) == nil)
        #expect(rules.requiredApproval(for: Fixture.request(.authority, body: .police, action: .export)) == .agencyHead)
    }

    @Test("approved by the clerk who registered it is refused")
    func clerkApproves() {
        let request = Fixture.request(.agencyStaff)
        #expect(rules.checkApproval(request, requesterUser: "zhao", clerkUser: "clerk1",
                                    approval: approval("clerk1"), now: now) == [.approverIsClerk("clerk1")])
    }

    @Test("approved by the requester himself is refused")
    func requesterApproves() {
        let request = Fixture.request(.agencyStaff, stationUser: "zhao")
        let problems = rules.checkApproval(request, requesterUser: "zhao", clerkUser: "clerk1",
                                           approval: approval("zhao"), now: now)
        #expect(problems == [.approverIsRequester("zhao")])
        #expect(problems[0].messageZh.contains("不得审批本人的申请"))
    }

    @Test("no release without approval")
    func noApproval() {
        #expect(rules.checkApproval(Fixture.request(.lawyer, action: .export), requesterUser: nil,
                                    clerkUser: "clerk1", approval: nil, now: now) == [.approvalMissing(.agencyHead)])
    }

    @Test("an expired approval cannot be used for an export")
    func expiredExport() {
        let request = Fixture.request(.lawyer, action: .export)
        let old = approval(daysAgo: 8)
        #expect(rules.checkApproval(request, requesterUser: nil, clerkUser: "clerk1", approval: old, now: now)
            == [.approvalExpired(approvedAt: old.approvedAt, days: 7)])
        #expect(rules.checkApproval(request, requesterUser: nil, clerkUser: "clerk1",
                                    approval: approval(daysAgo: 6.9), now: now).isEmpty)
    }

    @Test("the expiry is configurable, and always applies to exports")
    func configurableExpiry() {
        let lenient = AccessPolicyRules(approvalPolicy: ApprovalPolicy(expiryDays: 30, expiryAppliesTo: []))
        #expect(lenient.approvalPolicy.expiryAppliesTo == [.export])
        let view = Fixture.request(.agencyStaff, action: .view)
        #expect(lenient.checkApproval(view, requesterUser: nil, clerkUser: "c", approval: approval(daysAgo: 90), now: now).isEmpty)
        let export = Fixture.request(.otherRegion, action: .export)
        #expect(lenient.checkApproval(export, requesterUser: nil, clerkUser: "c", approval: approval(daysAgo: 29), now: now).isEmpty)
        #expect(lenient.checkApproval(export, requesterUser: nil, clerkUser: "c", approval: approval(daysAgo: 31), now: now).count == 1)
    }

    @Test("an approval dated in the future is refused")
    func futureApproval() {
        let future = approval(daysAgo: -1)
        #expect(rules.checkApproval(Fixture.request(.agencyStaff), requesterUser: nil, clerkUser: "clerk1",
                                    approval: future, now: now) == [.approvalInFuture(future.approvedAt)])
    }
}

@Suite("Confidential matters are handled apart")
struct ConfidentialityTests {
    let clearance = ConfidentialityClearance.standard

    @Test("footage without flags is not restricted")
    func noFlags() {
        #expect(clearance.mayView([], roles: [.viewer]))
    }

    @Test("a viewer may not see footage touching personal privacy")
    func viewerPrivacy() {
        #expect(!clearance.mayView([.privacy], roles: [.viewer]))
        #expect(clearance.mayView([.privacy], roles: [.viewer, .clerk]))
    }

    @Test("only an approver is cleared for state secrets by default; admins and auditors are not")
    func stateSecrets() {
        #expect(clearance.mayView([.stateSecret], roles: [.approver]))
        #expect(!clearance.mayView([.stateSecret], roles: [.clerk, .admin, .auditor, .viewer]))
    }

    @Test("every flag on a clip must be cleared")
    func everyFlag() {
        let custom = ConfidentialityClearance(cleared: [.tradeSecret: [.clerk], .privacy: [.viewer]])
        #expect(!custom.mayView([.tradeSecret, .privacy], roles: [.clerk]))
        #expect(custom.mayView([.tradeSecret, .privacy], roles: [.clerk, .viewer]))
        #expect(!custom.mayView([.stateSecret], roles: Set(StationRole.allCases)))
    }
}
