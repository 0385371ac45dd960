import CustodyCore
import Foundation
import Testing

@Suite("The case handler's own cases; what an approval allows, for how long and how many times")
struct AccessUseRuleTests {
    let rules = AccessPolicyRules.standard
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    let clerk = Person(uid: 1001, name: "clerk1")
    let chief = Person(uid: 1002, name: "chief")
    func current(_ uid: UInt32) -> String? { [1001: "clerk1", 1002: "chief"][uid] }

    func facts(_ request: AccessRequest, approved: Bool? = true, daysAgo: Double = 1, allowed: Int = 1, made: Int = 0) -> AccessUseFacts {
        AccessUseFacts(request: request, clerk: clerk, approved: approved,
                       approval: approved == true ? Approval(approver: chief, title: rules.requiredApproval(for: request) ?? .agencyHead,
                                                             approvedAt: now.addingTimeInterval(-daysAgo * 86_400)) : nil,
                       copiesAllowed: allowed, copiesMade: made)
    }

    func use(_ action: AccessAction, _ facts: AccessUseFacts) -> [String] {
        rules.checkUse(action, facts, now: now, currentName: current).map(\.code)
    }

    @Test("a case handler's request is registered only for clips of cases he handles")
    func handlerOwnCases() {
        #expect(rules.check(Fixture.request(.caseHandler)).isEmpty)
        let other = Fixture.request(.caseHandler, badge: "999999")
        #expect(rules.check(other).map(\.code) == ["not-the-case-handler"])
        #expect(rules.check(other)[0].messageZh.contains("张三（警号 010203）"))
        #expect(rules.check(other)[0].message.contains("agency staff"))
        let noCase = Fixture.request(.caseHandler, clips: [Fixture.clip(case: "", handler: nil)])
        #expect(rules.check(noCase).map(\.code) == ["not-the-case-handler"])
        #expect(rules.check(noCase)[0].messageZh.contains("未归入任何案件"))
        let noHandler = Fixture.request(.caseHandler, clips: [Fixture.clip(handler: nil)])
        #expect(rules.check(noHandler)[0].messageZh.contains("未登记承办人"))
        let noBadge = Fixture.request(.caseHandler, badge: " ")
        #expect(rules.check(noBadge).map(\.code) == ["case-handler-badge-missing"])
        // Other kinds are not tied to the case's handler.
        #expect(rules.check(Fixture.request(.agencyStaff, clips: [Fixture.clip(handler: nil)])).isEmpty)
    }

    @Test("an approval older than the policy's days is expired: shown so, and it refuses a look and an export")
    func expiredApproval() {
        let request = Fixture.request(.authority, body: .court, documents: Fixture.authorityPapers, action: .export)
        let fresh = facts(request, daysAgo: 6.9)
        #expect(rules.standing(fresh, now: now) == .approved)
        #expect(use(.export, fresh).isEmpty && use(.view, fresh).isEmpty)
        let old = facts(request, daysAgo: 7)
        #expect(rules.standing(old, now: now) == .expired)
        #expect(use(.export, old) == ["approval-expired"])
        #expect(use(.view, old) == ["approval-expired"])
        #expect(rules.expiry(old) == now)
    }

    @Test("an approval allows a number of copies; the next one is refused, looks are not counted")
    func copiesCounted() {
        let request = Fixture.request(.agencyStaff, action: .copy, copies: 2)
        #expect(use(.copy, facts(request, allowed: 2, made: 1)).isEmpty)
        let usedUp = facts(request, allowed: 2, made: 2)
        #expect(use(.copy, usedUp) == ["copies-used-up"])
        #expect(AccessProblem.copiesUsedUp(allowed: 2, made: 2).messageZh.contains("准许复制/导出 2 份，已制作 2 份"))
        #expect(rules.standing(usedUp, now: now) == .usedUp)
        #expect(use(.view, usedUp).isEmpty, "a look is not a copy")
        #expect(rules.check(Fixture.request(.agencyStaff, action: .copy, copies: 0)).map(\.code) == ["bad-copies"])
    }

    @Test("nothing is done under a denied or waiting request; a view-only request is never copied; the handler's own look is direct")
    func deniedPendingViewOnly() {
        let request = Fixture.request(.agencyStaff, action: .export)
        #expect(use(.view, facts(request, approved: false)) == ["request-denied"])
        #expect(rules.standing(facts(request, approved: false), now: now) == .denied)
        #expect(use(.export, facts(request, approved: nil)) == ["approval-missing"])
        #expect(rules.standing(facts(request, approved: nil), now: now) == .pending)
        let look = Fixture.request(.caseHandler)
        #expect(use(.export, facts(look, approved: nil)) == ["view-only"])
        #expect(use(.view, facts(look, approved: nil)).isEmpty)
        #expect(rules.standing(facts(look, approved: nil), now: now) == .direct)
    }
}
