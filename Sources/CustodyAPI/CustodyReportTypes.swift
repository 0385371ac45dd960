import Foundation

/// The audit checkpoint a report, disc or export was made at.
public struct AuditStampItem: Codable, Sendable, Equatable {
    public var treeSize: Int64
    public var headHash: String
    public var root: String
    public var at: Date
    /// The checkpoint signed with the station key (`Custody-Tree-Head v1 …`), which `custodyctl
    /// audit verify --against` reads back; its signature (hex) and the key's short name.
    public var signedHead: String?
    public var signature: String?
    public var keyID: String?
    /// The integrity alarm standing when the stamp was made, if any.
    public var integrityAlarm: String?
    public init(treeSize: Int64, headHash: String, root: String, at: Date) {
        self.treeSize = treeSize; self.headHash = headHash; self.root = root; self.at = at
    }
}

/// `GET /v1/clips/{sha}/custody`: the chain of custody of one clip (监管链报告), every event from the
/// camera to today, in Chinese, with the checkpoint it was made at (`format=html|pdf` to print).
public struct CustodyReportItem: Codable, Sendable, Equatable {
    /// One event of the clip's life, tied to the audit row that records it.
    public struct Event: Codable, Sendable, Equatable {
        /// The audit row (nil for a fact read from the tables, not from the log).
        public var seq: Int64?
        public var at: Date
        /// docking, copy, verification, matching, correction, annotation, mark, hold, case, disc, access, look,
        /// export, disposal, integrity, report, other.
        public var stage: String
        /// What happened, in Chinese (`A 盘回读校验通过`).
        public var title: String
        public var actor: String
        /// The particulars, in Chinese.
        public var detail: String
        public var hash: String?
        public init(seq: Int64?, at: Date, stage: String, title: String, actor: String, detail: String, hash: String?) {
            self.seq = seq; self.at = at; self.stage = stage; self.title = title; self.actor = actor; self.detail = detail; self.hash = hash
        }
    }

    /// One disc copy holding the clip.
    public struct DiscCopy: Codable, Sendable, Equatable {
        public var setID: String
        public var copy: String
        public var state: String
        public var verified: Bool
        public var location: String?
        public var discPath: String
        public init(setID: String, copy: String, state: String, verified: Bool, location: String?, discPath: String) {
            self.setID = setID; self.copy = copy; self.state = state; self.verified = verified; self.location = location
            self.discPath = discPath
        }
    }

    /// One entry of the access register naming the clip.
    public struct Access: Codable, Sendable, Equatable {
        public var id: Int64
        public var requester: String
        public var requesterUnit: String
        public var requesterKind: String
        public var action: String
        public var purpose: String
        public var decision: String?
        public var decidedBy: String?
        public var uses: [String]
        public init(id: Int64, requester: String, requesterUnit: String, requesterKind: String, action: String, purpose: String,
                    decision: String?, decidedBy: String?, uses: [String]) {
            self.id = id; self.requester = requester; self.requesterUnit = requesterUnit; self.requesterKind = requesterKind
            self.action = action; self.purpose = purpose; self.decision = decision; self.decidedBy = decidedBy; self.uses = uses
        }
    }

    public var unit: String
    public var clip: ClipItem
    /// Label / value pairs summing the clip up (officer, device, times, case, retention, state), in Chinese.
    public var summary: [[String]]
    public var events: [Event]
    public var discCopies: [DiscCopy]
    public var access: [Access]
    /// 制表人: who asked for the report.
    public var preparedBy: String
    public var generatedAt: Date
    public var stamp: AuditStampItem

    public init(unit: String, clip: ClipItem, summary: [[String]], events: [Event], discCopies: [DiscCopy], access: [Access],
                preparedBy: String, generatedAt: Date, stamp: AuditStampItem) {
        self.unit = unit; self.clip = clip; self.summary = summary; self.events = events; self.discCopies = discCopies
        self.access = access; self.preparedBy = preparedBy; self.generatedAt = generatedAt; self.stamp = stamp
    }
}
