import CustodyCore
import Testing

@Suite("Who brings which papers")
struct DocumentRuleTests {
    @Test("a lawyer's request without a power of attorney is refused, naming it")
    func lawyerWithoutPowerOfAttorney() {
        let papers = Fixture.lawyerPapers.filter { $0.kind != .powerOfAttorney }
        let problems = AccessPolicyRules.check(Fixture.request(.lawyer, documents: papers))
        #expect(problems == [.missingDocument(.powerOfAttorney)])
        #expect(problems[0].messageZh.contains("授权委托书"))
        #expect(problems[0].message.contains("power of attorney"))
    }

    @Test("a lawyer with letter, ID, power of attorney and licence, all verified, may be registered")
    func lawyerComplete() {
        #expect(AccessPolicyRules.check(Fixture.request(.lawyer, documents: Fixture.lawyerPapers)).isEmpty)
    }

    @Test("a lawyer without a licence is refused")
    func lawyerWithoutLicence() {
        let papers = Fixture.lawyerPapers.filter { $0.kind != .lawyerLicence }
        #expect(AccessPolicyRules.check(Fixture.request(.lawyer, documents: papers)) == [.missingDocument(.lawyerLicence)])
    }

    @Test("an authority with verified letter of introduction and ID may be registered")
    func authorityComplete() {
        let request = Fixture.request(.authority, body: .procuratorate, documents: Fixture.authorityPapers)
        #expect(AccessPolicyRules.check(request).isEmpty)
    }

    @Test("an authority's unverified letter of introduction is refused")
    func authorityUnverified() {
        let papers = [Fixture.doc(.letterOfIntroduction, verified: false), Fixture.doc(.idDocument)]
        let request = Fixture.request(.authority, body: .court, documents: papers)
        #expect(AccessPolicyRules.check(request) == [.unverifiedDocument(.letterOfIntroduction)])
    }

    @Test("an authority that does not say which body it is is refused")
    func authorityWithoutBody() {
        let request = Fixture.request(.authority, documents: Fixture.authorityPapers)
        #expect(AccessPolicyRules.check(request) == [.missingAuthorityBody])
    }

    @Test("an authority without ID is refused")
    func authorityWithoutID() {
        let request = Fixture.request(.authority, body: .audit, documents: [Fixture.doc(.letterOfIntroduction)])
        #expect(AccessPolicyRules.check(request) == [.missingDocument(.idDocument)])
    }

    @Test("a document without a number does not count")
    func documentWithoutReference() {
        let blank = AccessDocument(kind: .idDocument, reference: "  ", verified: true)
        let request = Fixture.request(.authority, body: .police, documents: [Fixture.doc(.letterOfIntroduction), blank])
        #expect(AccessPolicyRules.check(request) == [.missingDocument(.idDocument)])
    }

    @Test("a party needs a letter and ID")
    func partyPapers() {
        #expect(AccessPolicyRules.check(Fixture.request(.party)) ==
            [.missingDocument(.letterOfIntroduction), .missingDocument(.idDocument)])
    }

    @Test("another region's agency needs its official letter, verified")
    func otherRegionLetter() {
        #expect(AccessPolicyRules.check(Fixture.request(.otherRegion)) == [.missingDocument(.officialLetter)])
        let unverified = Fixture.request(.otherRegion, documents: [Fixture.doc(.officialLetter, verified: false)])
        #expect(AccessPolicyRules.check(unverified) == [.unverifiedDocument(.officialLetter)])
        let good = Fixture.request(.otherRegion, documents: [Fixture.doc(.officialLetter)])
        #expect(AccessPolicyRules.check(good).isEmpty)
    }

    @Test("the case handler and agency staff need no papers")
    func insidersNeedNoPapers() {
        #expect(AccessPolicyRules.check(Fixture.request(.caseHandler)).isEmpty)
        #expect(AccessPolicyRules.check(Fixture.request(.agencyStaff)).isEmpty)
    }

    @Test("every kind and document has a Chinese name")
    func chineseNames() {
        #expect(RequesterKind.allCases.allSatisfy { !$0.nameZh.isEmpty })
        #expect(AuthorityBody.allCases.map(\.nameZh).contains("纪检监察机关"))
        #expect(AccessDocumentKind.lawyerLicence.nameZh == "律师执业证")
        #expect(AccessDocumentKind.letterOfIntroduction.nameZh == "介绍信")
    }
}
