import CustodyCore
import Foundation
import Testing

@Suite("Whose approval, by whom, and how long it lasts")
struct ApprovalRuleTests {
    let rules = AccessPolicyRules.standard
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let accounts: [UInt32: String] = [1001: "clerk1", 1002: "chief", 1003: "zhao", 1004: "fazhi", 1005: "wang"]
    static func person(_ name: String) -> Person { Person(uid: accounts.first { $0.value == name }!.key, name: name) }
    let clerk = Self.person("clerk1")
    /// The system's accounts now: as recorded, unless a test renames one.
    func current(_ uid: UInt32) -> String? { Self.accounts[uid] }

    func approval(_ user: String = "chief", _ title: ApproverTitle = .agencyHead, daysAgo: Double = 1) -> Approval {
        Approval(approver: Self.person(user), title: title, approvedAt: now.addingTimeInterval(-daysAgo * 86_400))
    }

    func check(_ request: AccessRequest, _ approval: Approval?, rules: AccessPolicyRules = .standard,
               currentName: ((UInt32) -> String?)? = nil) -> [AccessProblem] {
        rules.checkApproval(request, clerk: clerk, approval: approval, now: now, currentName: currentName ?? current)
    }

    @Test("the case handler viewing needs no approval")
    func handlerViewNeedsNone() {
        #expect(rules.requiredApproval(for: Fixture.request(.caseHandler)) == nil)
        #expect(check(Fixture.request(.caseHandler), nil).isEmpty)
    }

    @Test("the case handler's copy needs the head of the legal office")
    func handlerCopyNeedsLegalHead() {
        let request = Fixture.request(.caseHandler, action: .copy)
        #expect(rules.requiredApproval(for: request) == .legalOfficeHead)
        #expect(check(request, nil)
            == [.approvalMissing(.legalOfficeHead)])
        #expect(check(request, approval("fazhi", .legalOfficeHead)).isEmpty)
    }

    @Test("the head of the agency approving what the legal office head must approve is refused")
    func wrongTitle() {
        let request = Fixture.request(.caseHandler, action: .copy)
        #expect(check(request, approval())
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
        #expect(check(request, approval("clerk1")) == [.samePerson(.samePerson(actor: Self.person("clerk1"), recorded: clerk, role: .clerk))])
    }

    @Test("approved by the requester himself is refused, the requester compared as an account")
    func requesterApproves() {
        let request = Fixture.request(.agencyStaff, stationUser: Self.person("zhao"))
        let problems = check(request, approval("zhao"))
        #expect(problems == [.samePerson(.samePerson(actor: Self.person("zhao"), recorded: Self.person("zhao"), role: .requester))])
        #expect(problems[0].messageZh.contains("不得审批本人的申请"))
    }

    @Test("an account renamed since it was recorded as the requester is refused: nobody can tell who it is now")
    func renamedRequester() {
        let request = Fixture.request(.agencyStaff, stationUser: Self.person("zhao"))
        let renamed: (UInt32) -> String? = { $0 == 1003 ? "zhao2" : self.current($0) }
        let problems = check(request, approval("chief"), currentName: renamed)
        #expect(problems == [.samePerson(.accountChanged(recorded: Self.person("zhao"), currentName: "zhao2", role: .requester))])
        let deleted = check(request, approval("chief"), currentName: { $0 == 1003 ? nil : self.current($0) })
        #expect(deleted.first?.code == "account-changed" && deleted.first!.message.contains("no account"))
    }

    @Test("a requester recorded as a bare name before identities is refused, not guessed")
    func legacyRequester() throws {
        let json = #"{"name":"张三","unit":"某所","kind":"agencyStaff","stationUser":"zhao"}"#
        let requester = try JSONDecoder().decode(Requester.self, from: Data(json.utf8))
        #expect(requester.stationUser == nil && requester.unresolvedStationUser == "zhao")
        let canonical = try JSONDecoder().decode(Requester.self, from: Data(#"{"name":"a","unit":"b","kind":"party","stationUser":"uid:1003(zhao)"}"#.utf8))
        #expect(canonical.stationUser == Self.person("zhao"))
        var request = Fixture.request(.agencyStaff)
        request.requester = requester
        #expect(check(request, approval("chief")) == [.requesterUnresolved("zhao")])
    }

    @Test("no release without approval")
    func noApproval() {
        #expect(check(Fixture.request(.lawyer, action: .export), nil) == [.approvalMissing(.agencyHead)])
    }

    @Test("an expired approval cannot be used for an export")
    func expiredExport() {
        let request = Fixture.request(.lawyer, action: .export)
        let old = approval(daysAgo: 8)
        #expect(check(request, old)
            == [.approvalExpired(approvedAt: old.approvedAt, days: 7)])
        #expect(check(request, approval(daysAgo: 6.9)).isEmpty)
    }

    @Test("the expiry is configurable, and always applies to exports")
    func configurableExpiry() {
        let lenient = AccessPolicyRules(approvalPolicy: ApprovalPolicy(expiryDays: 30, expiryAppliesTo: []))
        #expect(lenient.approvalPolicy.expiryAppliesTo == [.export])
        let view = Fixture.request(.agencyStaff, action: .view)
        #expect(check(view, approval(daysAgo: 90), rules: lenient).isEmpty)
        let export = Fixture.request(.otherRegion, action: .export)
        #expect(check(export, approval(daysAgo: 29), rules: lenient).isEmpty)
        #expect(check(export, approval(daysAgo: 31), rules: lenient).count == 1)
    }

    @Test("an approval dated in the future is refused")
    func futureApproval() {
        let future = approval(daysAgo: -1)
        #expect(check(Fixture.request(.agencyStaff), future) == [.approvalInFuture(future.approvedAt)])
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
