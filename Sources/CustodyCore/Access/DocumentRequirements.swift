import Foundation

/// Which papers each kind of requester must hand over, and whose papers must
/// be verified against the originals. Configurable because a provincial rule
/// may ask for more; the standard table follows RULES.md, "Access".
public struct DocumentRequirements: Sendable, Hashable, Codable {
    public var required: [RequesterKind: [AccessDocumentKind]]
    /// Kinds whose required documents count only when marked verified.
    public var mustBeVerified: Set<RequesterKind>

    public init(required: [RequesterKind: [AccessDocumentKind]], mustBeVerified: Set<RequesterKind>) {
        self.required = required
        self.mustBeVerified = mustBeVerified
    }

    /// - case handler, agency staff: nothing (they are known; approval decides);
    /// - authority, party: letter of introduction and ID;
    /// - lawyer: letter, ID, the party's power of attorney and the licence;
    /// - another region's agency: its official letter.
    /// Every outside requester's papers must be verified.
    public static let standard = DocumentRequirements(
        required: [
            .caseHandler: [],
            .agencyStaff: [],
            .authority: [.letterOfIntroduction, .idDocument],
            .party: [.letterOfIntroduction, .idDocument],
            .lawyer: [.letterOfIntroduction, .idDocument, .powerOfAttorney, .lawyerLicence],
            .otherRegion: [.officialLetter],
        ],
        mustBeVerified: [.authority, .party, .lawyer, .otherRegion]
    )

    public func documents(for kind: RequesterKind) -> [AccessDocumentKind] {
        required[kind] ?? []
    }
}
