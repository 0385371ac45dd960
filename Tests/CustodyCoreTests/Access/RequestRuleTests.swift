import CustodyCore
import Testing

@Suite("What may be asked for")
struct RequestRuleTests {
    @Test("the case handler asking to take media out is refused")
    func handlerExport() {
        let problems = AccessPolicyRules.check(Fixture.request(.caseHandler, action: .export))
        #expect(problems == [.caseHandlerMayNotExport])
        #expect(problems[0].messageZh.contains("不得将存储介质带出"))
    }

    @Test("the case handler may view and copy")
    func handlerViewCopy() {
        #expect(AccessPolicyRules.check(Fixture.request(.caseHandler, action: .view)).isEmpty)
        #expect(AccessPolicyRules.check(Fixture.request(.caseHandler, action: .copy)).isEmpty)
    }

    @Test("a lawyer asking for a clip of an open case is refused, naming the case")
    func lawyerOpenCase() {
        let clips = [Fixture.clip(Fixture.hashA, case: "A-1", .archived), Fixture.clip(Fixture.hashB, case: "B-2", .open)]
        let request = Fixture.request(.lawyer, documents: Fixture.lawyerPapers, clips: clips)
        #expect(AccessPolicyRules.check(request) == [.caseNotConcluded(clip: Fixture.hashB, caseNumber: "B-2")])
    }

    @Test("a party asking for a clip of an open case is refused; closed and archived are fine")
    func partyCaseState() {
        let papers = [Fixture.doc(.letterOfIntroduction), Fixture.doc(.idDocument)]
        #expect(AccessPolicyRules.check(Fixture.request(.party, documents: papers, clips: [Fixture.clip(Fixture.hashA, case: "A-1", .open)])).count == 1)
        #expect(AccessPolicyRules.check(Fixture.request(.party, documents: papers, clips: [Fixture.clip(Fixture.hashA, case: "A-1", .closed)])).isEmpty)
        #expect(AccessPolicyRules.check(Fixture.request(.party, documents: papers, clips: [Fixture.clip(Fixture.hashA, case: "A-1", .archived)])).isEmpty)
    }

    @Test("an authority may see footage of an open case")
    func authorityOpenCase() {
        let request = Fixture.request(.authority, body: .discipline, documents: Fixture.authorityPapers,
                                      clips: [Fixture.clip(Fixture.hashA, case: "A-1", .open)])
        #expect(AccessPolicyRules.check(request).isEmpty)
    }

    @Test("a lawyer asking for footage touching personal privacy is refused: it is handled apart")
    func confidentialForLawyer() {
        let request = Fixture.request(.lawyer, documents: Fixture.lawyerPapers,
                                      clips: [Fixture.clip(flags: [.privacy, .stateSecret])])
        #expect(AccessPolicyRules.check(request) ==
            [.confidentialHandledApart(clip: Fixture.hashA, flags: [.stateSecret, .privacy])])
    }

    @Test("a request without clips, purpose, name or clerk is refused")
    func incomplete() {
        var request = Fixture.request(.agencyStaff, clips: [])
        request.purpose = " "
        request.requester.name = ""
        request.requestedBy = ""
        #expect(AccessPolicyRules.check(request) == [.missingRequesterName, .missingPurpose, .missingClerk, .noClips])
    }

    @Test("an outsider without a unit is refused")
    func outsiderWithoutUnit() {
        var request = Fixture.request(.authority, body: .justice, documents: Fixture.authorityPapers)
        request.requester.unit = ""
        #expect(AccessPolicyRules.check(request) == [.missingUnit])
    }

    @Test("a clip named by something other than its SHA-256 is refused")
    func malformedHash() {
        let request = Fixture.request(.caseHandler, clips: [Fixture.clip("ABC")])
        #expect(AccessPolicyRules.check(request) == [.malformedClipHash("ABC")])
    }

    @Test("viewing is free of charge")
    func viewingFree() {
        #expect(AccessPolicyRules.viewingFee == 0)
    }

    @Test("every problem has an English and a Chinese message")
    func bilingual() {
        let all: [AccessProblem] = [
            .missingUnit, .noClips, .caseHandlerMayNotExport, .requesterUnresolved("li"),
            .samePerson(.accountChanged(recorded: Person(uid: 1, name: "li"), currentName: nil, role: .proposer)),
            .approvalMissing(.agencyHead), .approvalExpired(approvedAt: .distantPast, days: 7),
        ]
        for p in all {
            #expect(!p.message.isEmpty && !p.messageZh.isEmpty && p.message != p.messageZh)
        }
    }
}
