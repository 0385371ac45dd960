import Foundation

/// `POST /v1/access`: register a request to look at, copy or take out clips.
public struct AccessRequestBody: Codable, Sendable, Equatable {
    public struct Document: Codable, Sendable, Equatable {
        /// letter-of-introduction, id-document, power-of-attorney, lawyer-licence, official-letter, …
        public var kind: String
        public var reference: String
        public var verified: Bool
        public init(kind: String, reference: String, verified: Bool) { self.kind = kind; self.reference = reference; self.verified = verified }
    }
    public var requesterName: String
    public var requesterUnit: String
    /// case-handler, agency-staff, authority, party, lawyer, other-region.
    public var requesterKind: String
    /// For authority: police, procuratorate, court, state-security, discipline, justice, audit.
    public var authorityBody: String?
    /// The requester's Unix user when they work at the station: a user name or uid, resolved to
    /// an account by the daemon (an unknown one is refused).
    public var stationUser: String?
    public var documents: [Document]
    public var clips: [String]
    public var purpose: String
    /// view, copy or export.
    public var action: String
    /// case-handler: the handler's badge (警号), compared with the handler recorded on each clip's case.
    public var badge: String?
    /// Copies or exports asked for (default 1); the approver may allow another number.
    public var copies: Int?
    public init(requesterName: String, requesterUnit: String, requesterKind: String, authorityBody: String?, stationUser: String?,
                documents: [Document], clips: [String], purpose: String, action: String, badge: String? = nil, copies: Int? = nil) {
        self.requesterName = requesterName; self.requesterUnit = requesterUnit; self.requesterKind = requesterKind
        self.authorityBody = authorityBody; self.stationUser = stationUser; self.documents = documents; self.clips = clips
        self.purpose = purpose; self.action = action; self.badge = badge; self.copies = copies
    }
}

/// `POST /v1/access/{id}/approve|deny`.
public struct AccessDecisionBody: Codable, Sendable, Equatable {
    /// legal-office-head or agency-head.
    public var title: String
    public var note: String
    /// Copies or exports allowed (default: what the request asked for, else 1).
    public var copies: Int?
    public init(title: String, note: String, copies: Int? = nil) { self.title = title; self.note = note; self.copies = copies }
}

/// `POST /v1/access/{id}/viewed`: the requester looked at the footage (registered as a look).
public struct AccessViewedBody: Codable, Sendable, Equatable {
    /// Who looked (default: the requester).
    public var viewer: String?
    public var note: String?
    public init(viewer: String? = nil, note: String? = nil) { self.viewer = viewer; self.note = note }
}

/// `POST /v1/access/{id}/export`: write a BagIt bag of the clips into a folder (e.g. a USB drive).
public struct AccessExportBody: Codable, Sendable, Equatable {
    public var target: String
    public init(target: String) { self.target = target }
}

/// One entry of the access register.
public struct AccessEntryItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var requesterName: String
    public var requesterUnit: String
    public var requesterKind: String
    public var documents: [String]
    public var clips: [String]
    public var purpose: String
    public var action: String
    public var registeredBy: String
    public var registeredAt: Date
    /// The requester's station account (`uid:N(name)`), when they work at the station.
    public var requesterUser: String?
    public var decision: String?
    public var approverTitle: String?
    public var decidedBy: String?
    public var decidedAt: Date?
    /// What was done: `export: /media/usb/custody-access-3 (tagmanifest …)`, `view: 查看人 …`.
    public var uses: [String]
    /// pending, approved, direct (no approval needed), denied, expired or used-up, at the time asked.
    public var status: String?
    /// When the approval stops counting (approved requests that need one).
    public var expiresAt: Date?
    /// Copies or exports the approval allows, and how many were made.
    public var copiesAllowed: Int?
    public var copiesMade: Int?
    /// Looks registered under the request: who looked and who recorded it when.
    public var looks: [AccessLookItem]?
    public init(id: Int64, requesterName: String, requesterUnit: String, requesterKind: String, documents: [String], clips: [String],
                purpose: String, action: String, registeredBy: String, registeredAt: Date, requesterUser: String? = nil,
                decision: String?, approverTitle: String?,
                decidedBy: String?, decidedAt: Date?, uses: [String]) {
        self.id = id; self.requesterName = requesterName; self.requesterUnit = requesterUnit; self.requesterKind = requesterKind
        self.documents = documents; self.clips = clips; self.purpose = purpose; self.action = action; self.registeredBy = registeredBy
        self.requesterUser = requesterUser
        self.registeredAt = registeredAt; self.decision = decision; self.approverTitle = approverTitle; self.decidedBy = decidedBy
        self.decidedAt = decidedAt; self.uses = uses
    }
}

/// One look registered under a request.
public struct AccessLookItem: Codable, Sendable, Equatable {
    public var detail: String
    public var recordedBy: String
    public var recordedAt: Date
    public init(detail: String, recordedBy: String, recordedAt: Date) { self.detail = detail; self.recordedBy = recordedBy; self.recordedAt = recordedAt }
}

/// `POST /v1/clips/{sha}/confidential`.
public struct ConfidentialBody: Codable, Sendable, Equatable {
    /// state-secret, trade-secret or privacy.
    public var flag: String
    public var remove: Bool
    public init(flag: String, remove: Bool) { self.flag = flag; self.remove = remove }
}

/// `POST /v1/audit/checkpoint` and the checkpoints listed by `GET /v1/audit/checkpoints`.
public struct CheckpointItem: Codable, Sendable, Equatable {
    public var treeSize: Int64
    public var root: String
    public var reason: String
    public var at: Date
    /// The checkpoint signed with the station key, as one line (`Custody-Tree-Head v1 …`): what
    /// `custodyctl audit verify --against` reads back from this JSON.
    public var signedHead: String?
    public var publicKey: String?
    public var signature: String?
    public init(treeSize: Int64, root: String, reason: String, at: Date) { self.treeSize = treeSize; self.root = root; self.reason = reason; self.at = at }
}
