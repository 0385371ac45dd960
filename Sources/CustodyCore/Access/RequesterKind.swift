import Foundation

/// Who is asking to look at footage. The rules grant access, and demand
/// documents and approvals, by the kind of requester, so the kind is the
/// first thing the register records.
public enum RequesterKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The officer handling the case (办案人员): may view directly.
    case caseHandler
    /// Other staff of the same agency (本单位其他人员).
    case agencyStaff
    /// A state body named in the rules (公安/检察院/法院/国家安全/纪检监察/司法行政/审计).
    case authority
    /// The party to the case (当事人).
    case party
    /// The party's lawyer (律师).
    case lawyer
    /// An agency of another region asking by letter (外地机关).
    case otherRegion

    /// Chinese name as written on the register.
    public var nameZh: String {
        switch self {
        case .caseHandler: "办案人员"
        case .agencyStaff: "本单位其他人员"
        case .authority: "有关机关"
        case .party: "当事人"
        case .lawyer: "律师"
        case .otherRegion: "外地机关"
        }
    }

    /// English name for logs and bilingual messages.
    public var nameEn: String {
        switch self {
        case .caseHandler: "case handler"
        case .agencyStaff: "agency staff"
        case .authority: "authority"
        case .party: "party"
        case .lawyer: "lawyer"
        case .otherRegion: "agency of another region"
        }
    }

    /// Requesters from outside the agency: their documents must be checked
    /// against the originals before anything is registered.
    public var isExternal: Bool {
        switch self {
        case .caseHandler, .agencyStaff: false
        case .authority, .party, .lawyer, .otherRegion: true
        }
    }
}

/// The state bodies that may look at footage on a letter of introduction and ID.
public enum AuthorityBody: String, Sendable, Hashable, Codable, CaseIterable {
    case police, procuratorate, court, stateSecurity, discipline, justice, audit

    public var nameZh: String {
        switch self {
        case .police: "公安机关"
        case .procuratorate: "人民检察院"
        case .court: "人民法院"
        case .stateSecurity: "国家安全机关"
        case .discipline: "纪检监察机关"
        case .justice: "司法行政机关"
        case .audit: "审计机关"
        }
    }

    public var nameEn: String {
        switch self {
        case .police: "police"
        case .procuratorate: "procuratorate"
        case .court: "court"
        case .stateSecurity: "state security"
        case .discipline: "discipline inspection and supervision"
        case .justice: "justice administration"
        case .audit: "audit"
        }
    }
}

/// The person asking, as the clerk writes them into the register.
public struct Requester: Sendable, Hashable, Codable {
    /// Full name of the person (not of the unit).
    public var name: String
    /// Unit or firm the person comes from (单位); required for outside requesters.
    public var unit: String
    public var kind: RequesterKind
    /// Which state body, when `kind == .authority`; ignored otherwise.
    public var authorityBody: AuthorityBody?
    /// The requester's station account when they are station staff (resolved by the daemon from
    /// the name or uid the clerk typed), so that the approver can be checked to be someone
    /// else. `nil` for outsiders.
    public var stationUser: Person?
    /// A station user recorded before identities (a bare name typed by the clerk) that could not
    /// be matched to an account: the approval rules refuse rather than guess.
    public var unresolvedStationUser: String?
    /// The officer's badge (警号) when the requester is a case handler: compared with the handler
    /// recorded on each clip's case.
    public var badge: String?

    public init(name: String, unit: String, kind: RequesterKind,
                authorityBody: AuthorityBody? = nil, stationUser: Person? = nil, badge: String? = nil) {
        self.name = name
        self.unit = unit
        self.kind = kind
        self.authorityBody = authorityBody
        self.stationUser = stationUser
        self.badge = badge
    }

    enum CodingKeys: String, CodingKey { case name, unit, kind, authorityBody, stationUser, unresolvedStationUser, badge }

    /// Reads rows written before identities too, whose `stationUser` was the text the clerk typed:
    /// `uid:N(name)` becomes that person, anything else is kept as unresolved.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        unit = try c.decode(String.self, forKey: .unit)
        kind = try c.decode(RequesterKind.self, forKey: .kind)
        authorityBody = try c.decodeIfPresent(AuthorityBody.self, forKey: .authorityBody)
        unresolvedStationUser = try c.decodeIfPresent(String.self, forKey: .unresolvedStationUser)
        badge = try c.decodeIfPresent(String.self, forKey: .badge)
        if let person = try? c.decodeIfPresent(Person.self, forKey: .stationUser) {
            stationUser = person
        } else if let text = try? c.decodeIfPresent(String.self, forKey: .stationUser) {
            stationUser = Person(auditName: text)
            if stationUser == nil { unresolvedStationUser = text }
        }
    }
}
