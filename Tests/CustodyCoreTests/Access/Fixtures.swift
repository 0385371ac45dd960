import CustodyCore
import Foundation

/// Builders that read like a register entry, so each test states only what differs.
enum Fixture {
    static let hashA = String(repeating: "a", count: 64)
    static let hashB = String(repeating: "b", count: 64)

    static func clip(_ hash: String = hashA, case number: String = "A-2024-001", _ state: CaseState = .closed,
                     flags: Set<Confidentiality> = [], handler: CaseHandler? = handler) -> RequestedClip {
        RequestedClip(sha256: hash, caseNumber: number, caseState: state, confidentiality: flags, caseHandler: handler)
    }

    /// The handler recorded on the fixture's case; a case-handler request is his by default.
    static let handler = CaseHandler(badge: "010203", name: "张三")

    static func doc(_ kind: AccessDocumentKind, verified: Bool = true) -> AccessDocument {
        AccessDocument(kind: kind, reference: "No. 42", verified: verified)
    }

    static func request(_ kind: RequesterKind, body: AuthorityBody? = nil, documents: [AccessDocument] = [],
                        clips: [RequestedClip] = [clip()], action: AccessAction = .view,
                        stationUser: Person? = nil, badge: String? = nil, copies: Int? = nil) -> AccessRequest {
        AccessRequest(
            requester: Requester(name: "张三", unit: "某某律师事务所", kind: kind,
                                 authorityBody: body, stationUser: stationUser, badge: badge ?? (kind == .caseHandler ? handler.badge : nil)),
            documents: documents, clips: clips, purpose: "核实案情", action: action, requestedBy: "uid:1001(clerk1)", copies: copies)
    }

    static let lawyerPapers = [doc(.letterOfIntroduction), doc(.idDocument), doc(.powerOfAttorney), doc(.lawyerLicence)]
    static let authorityPapers = [doc(.letterOfIntroduction), doc(.idDocument)]
}
